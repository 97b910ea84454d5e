import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import type { RunEventRecord, RunView } from '../../protocol/index.ts';
import { usePracticeCluster } from '../helpers/practice-cluster.ts';
import { tempDir } from '../helpers/run-script.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

const SLUG = 'kube-native';
const PASSWORD = 's3cr3t-$(touch /tmp/pwned)';

// Secret keys and pod waits through client-node, with the run pinned to the practice cluster.
describe('Kubernetes-native blocks', () => {
  const cluster = usePracticeCluster('kube-blocks');
  let runner: RunnerApi;
  let runId: string;

  beforeAll(async () => {
    await cluster().kubectlOk(['create', 'secret', 'generic', 'db', `--from-literal=password=${PASSWORD}`]);
    const { file } = await fixtureManifest('pinned-runbooks');
    runner = await startApp({
      stateDir: cluster().stateDir,
      manifestFile: file,
      env: { PATH: `${toolPaths().binDir}:${process.env.PATH}`, HOME: await tempDir(), LANG: 'C.UTF-8' },
    });
    const created = await runner.api('POST', '/api/runs', {
      runbook: SLUG,
      operator: 'ana',
      context: 'drillbook-practice',
    });
    expect(created.status, created.body).toBe(201);
    runId = (created.json() as RunView).id;
  }, 60_000);
  afterAll(() => runner?.stop());

  const run = async (stepId: string, timeoutMs = 20_000): Promise<RunEventRecord[]> => {
    const started = await runner.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
      stepHash: stepHash(runner, stepId, SLUG),
    });
    expect(started.status, started.body).toBe(202);
    const records = await followEvents(runner, runId, finished(stepId), { timeoutMs });
    return records.filter(({ event }) => 'stepId' in event && event.stepId === stepId);
  };
  const finish = (records: RunEventRecord[]) => records.find(({ event }) => event.type === 'step-finished')?.event;

  it('reads a Secret key into a secret value that is never printed or written', async () => {
    const records = await run('read-password');
    expect(finish(records)).toMatchObject({ outcome: 'succeeded' });
    expect(records.map(({ event }) => event)).toContainEqual({
      type: 'captured',
      stepId: 'read-password',
      name: 'dbPassword',
      value: { secret: true },
    });
    const used = await run('use-password');
    const output = used.map(({ event }) => (event.type === 'output' ? event.text : '')).join('');
    expect(output).not.toContain('s3cr3t');
    expect(output).toMatch(/^length=0\n\S+\n$/);
    const view = (await runner.api('GET', `/api/runs/${runId}`)).json() as RunView;
    expect(view.values.find((value) => value.name === 'dbPassword')).toMatchObject({ known: true, secret: true });
    const journal = await readFile(path.join(runner.stateDir, 'runs', runId, 'journal.jsonl'), 'utf8');
    expect(journal).not.toContain('s3cr3t');
    expect(journal).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('fails the step with the keys the Secret has when the key is missing', async () => {
    const records = await run('missing-key');
    expect(finish(records)).toMatchObject({
      outcome: 'failed',
      message: '{{nothing}}: Secret default/db has no key "nope" (it has password)',
    });
  });

  it('waits for three pods to be Ready, reporting progress as they come', async () => {
    const records = await run('scale-up', 45_000);
    expect(finish(records)).toMatchObject({ outcome: 'succeeded' });
    const progress = records.flatMap(({ event }) =>
      event.type === 'pods-progress' ? [`${event.ready}/${event.total}`] : [],
    );
    expect(progress.at(-1)).toBe('3/3');
    expect(new Set(progress).size).toBe(progress.length);
    expect(records.map(({ event }) => event)).toContainEqual(
      expect.objectContaining({ type: 'check-result', label: 'pods app=sleepy in default Ready', passed: true }),
    );
  });

  it('fails a wait that runs out, saying how many were Ready', async () => {
    const records = await run('wait-never');
    expect(finish(records)).toMatchObject({
      outcome: 'failed',
      message: 'waited 2 s for pods app=never in default: 0/0 Ready',
    });
  });
});
