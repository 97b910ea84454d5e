import { afterEach, describe, expect, it } from 'vitest';
import type { RunHistory } from '../../protocol/index.ts';
import { KubeContexts } from '../../runner/kube/kube-contexts.ts';
import { ManifestIndex } from '../../runner/manifest/manifest-index.ts';
import { RunService } from '../../runner/runs/run-service.ts';
import { JournalRunStore } from '../../runner/store/journal-run-store.ts';
import { tempDir } from '../helpers/run-script.ts';
import { type RunnerApi, startApp } from '../helpers/runner-app.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

// A state folder left by a runner that was killed while a step ran: the step's start is on record,
// its end is not.
async function stateOfAKilledRunner(manifestFile: string): Promise<{ stateDir: string; runId: string }> {
  const stateDir = await tempDir('drillbook-killed-');
  const store = new JournalRunStore(stateDir);
  const service = new RunService({
    manifest: await ManifestIndex.load(manifestFile),
    store,
    executors: [],
    contexts: new KubeContexts({ env: { HOME: stateDir }, stateDir }),
    env: {},
    limits: { wireBytes: 1024, memoryBytes: 1024, tailBytes: 64 },
    graceMs: 100,
    log: () => {},
  });
  const runtime = await service.create({ runbook: 'runner-fixture', operator: 'ana' });
  const step = service.manifest.commandStep('runner-fixture', 'sleep-long');
  await runtime.record({
    type: 'step-started',
    stepId: step.id,
    stepHash: step.hash,
    attempt: 1,
    script: step.script,
    references: step.references,
    processMarker: 'gone-with-the-runner',
    target: step.target,
  });
  await store.close();
  return { stateDir, runId: runtime.id };
}

let runner: RunnerApi | undefined;
afterEach(async () => {
  await runner?.stop();
});

const historyOf = async (api: RunnerApi, runId: string) =>
  ((await api.api('GET', '/api/history')).json() as RunHistory).runs.find((run) => run.id === runId);

describe('a run a stop of the runner interrupted', () => {
  it('is listed as interrupted, and the abandon API closes it', async () => {
    const { file } = await fixtureManifest();
    const { stateDir, runId } = await stateOfAKilledRunner(file);
    runner = await startApp({ stateDir, manifestFile: file });
    expect(await historyOf(runner, runId)).toMatchObject({
      status: 'active',
      steps: { interrupted: 1, failed: 1 },
    });
    const abandoned = await runner.api('POST', `/api/runs/${runId}/abandon`, {});
    expect(abandoned.status, abandoned.body).toBe(204);
    expect(await historyOf(runner, runId)).toMatchObject({ status: 'abandoned', steps: { interrupted: 1 } });
    expect((await runner.api('POST', `/api/runs/${runId}/abandon`, {})).status).toBe(409);
  });

  it('is closed only through the guards: no token, no abandon', async () => {
    const { file } = await fixtureManifest();
    const { stateDir, runId } = await stateOfAKilledRunner(file);
    runner = await startApp({ stateDir, manifestFile: file });
    const port = runner.port;
    const forged = await runner.raw({
      method: 'POST',
      path: `/api/runs/${runId}/abandon`,
      headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(forged.status).toBe(401);
    expect(await historyOf(runner, runId)).toMatchObject({ status: 'active' });
  });
});
