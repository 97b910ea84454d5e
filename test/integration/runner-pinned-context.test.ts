import { createHash } from 'node:crypto';
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import type { ContextList, RunEventRecord, RunView } from '../../protocol/index.ts';
import { usePracticeCluster } from '../helpers/practice-cluster.ts';
import { tempDir } from '../helpers/run-script.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

const SLUG = 'pinned-cluster';

// A run pinned to the practice cluster's context, with the operator's kubeconfig a copy that the
// test edits as another terminal would.
describe('a run pinned to a kube context', () => {
  const cluster = usePracticeCluster('pinned');
  let runner: RunnerApi;
  let kubeconfig: string;

  beforeAll(async () => {
    const home = await tempDir('drillbook-pinned-home-');
    kubeconfig = path.join(home, 'operator-kubeconfig');
    await copyFile(cluster().layout.kubeconfig, kubeconfig);
    const { file } = await fixtureManifest('pinned-runbooks');
    runner = await startApp({
      stateDir: cluster().stateDir,
      manifestFile: file,
      env: { PATH: `${toolPaths().binDir}:${process.env.PATH}`, HOME: home, KUBECONFIG: kubeconfig, LANG: 'C.UTF-8' },
    });
  }, 60_000);
  afterAll(() => runner?.stop());

  const run = async (runId: string, stepId: string, attempt = 1) => {
    const started = await runner.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
      stepHash: stepHash(runner, stepId, SLUG),
    });
    expect(started.status, started.body).toBe(202);
    const records = await followEvents(runner, runId, finished(stepId, attempt), { timeoutMs: 30_000 });
    return records.filter(({ event }) => 'stepId' in event && event.stepId === stepId);
  };
  const outputOf = (records: RunEventRecord[]) =>
    records.map(({ event }) => (event.type === 'output' ? event.text : '')).join('');

  it('lists the contexts with their server, CA fingerprint and environment, and no credentials', async () => {
    const answer = await runner.api('GET', '/api/contexts');
    expect(answer.status).toBe(200);
    const { contexts } = answer.json() as ContextList;
    const ca = await caOf(cluster().layout.kubeconfig);
    expect(contexts.find((context) => context.context === 'drillbook-practice')).toEqual({
      context: 'drillbook-practice',
      cluster: 'drillbook-practice',
      server: cluster().layout.apiServer.url,
      caSha256: createHash('sha256').update(ca).digest('hex'),
      user: 'kubernetes-admin',
      namespace: 'default',
      source: 'kubeconfig',
      environment: 'practice',
      current: true,
    });
    expect(contexts.map((context) => context.context)).toContain('drillbook-practice-viewer');
    expect(answer.body).not.toMatch(/client-key|BEGIN|LS0t/);
  });

  it('runs every step with its own kubeconfig, whatever context the operator switches to meanwhile', async () => {
    const created = await runner.api('POST', '/api/runs', {
      runbook: SLUG,
      operator: 'ana',
      context: 'drillbook-practice',
    });
    expect(created.status, created.body).toBe(201);
    const view = created.json() as RunView;
    expect(view.target).toMatchObject({
      context: 'drillbook-practice',
      user: 'kubernetes-admin',
      environment: 'practice',
    });

    const config = await readFile(kubeconfig, 'utf8');
    await writeFile(
      kubeconfig,
      config.replace('current-context: drillbook-practice', 'current-context: drillbook-practice-viewer'),
    );
    const where = await run(view.id, 'where');
    expect(outputOf(where)).toContain(`server=${cluster().layout.apiServer.url} user=kubernetes-admin`);
    expect(outputOf(where)).toContain('namespace/default');
    const made = await run(view.id, 'make-configmap');
    expect(made.at(-1)?.event).toMatchObject({ outcome: 'succeeded' });

    const pinned = path.join(runner.stateDir, 'runs', view.id, 'kubeconfig');
    expect((await stat(pinned)).mode & 0o777).toBe(0o600);
    const pinnedText = await readFile(pinned, 'utf8');
    expect(pinnedText.match(/^ {2}- name:/gm)).toHaveLength(3);
    expect(pinnedText).toContain('client-key-data');
    const journal = await readFile(path.join(runner.stateDir, 'runs', view.id, 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"caSha256"');
    expect(journal).not.toMatch(/client-key|LS0t/);
    const markdown = await runner.api('GET', `/api/runs/${view.id}/export.md`);
    expect(markdown.body).toContain(
      `- Cluster: practice: context \`drillbook-practice\` (${cluster().layout.apiServer.url}, CA sha256 `,
    );
    const exported = await runner.api('GET', `/api/runs/${view.id}/export.json`);
    expect(exported.body).toContain('"caSha256"');
    expect(exported.body).not.toMatch(/client-key|LS0t|token|\/kubeconfig/);
  });

  it('refuses a step once the context points at another server, and says what changed', async () => {
    await writeFile(kubeconfig, await readFile(cluster().layout.kubeconfig, 'utf8'));
    const created = await runner.api('POST', '/api/runs', {
      runbook: SLUG,
      operator: 'ana',
      context: 'drillbook-practice',
    });
    const runId = (created.json() as RunView).id;
    await run(runId, 'where');

    const config = await readFile(kubeconfig, 'utf8');
    await writeFile(kubeconfig, config.replace(cluster().layout.apiServer.url, 'https://127.0.0.1:16443'));
    const refused = await runner.api('POST', `/api/runs/${runId}/steps/where/run`, {
      stepHash: stepHash(runner, 'where', SLUG),
    });
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'TARGET_CHANGED',
      details: {
        changes: [{ field: 'server', pinned: cluster().layout.apiServer.url, now: 'https://127.0.0.1:16443' }],
      },
    });
    const after = (await runner.api('GET', `/api/runs/${runId}`)).json() as RunView;
    expect(after.steps.find((step) => step.id === 'where')).toMatchObject({ attempt: 1, status: 'succeeded' });
  });
});

async function caOf(kubeconfig: string): Promise<Buffer> {
  const text = await readFile(kubeconfig, 'utf8');
  const data = /certificate-authority-data: (\S+)/.exec(text)?.[1] ?? '';
  return Buffer.from(data, 'base64');
}
