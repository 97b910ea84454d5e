import { afterEach, describe, expect, it } from 'vitest';
import type { RunHistory } from '../../protocol/index.ts';
import { stateOfAKilledRunner } from '../helpers/interrupted-run.ts';
import { type RunnerApi, startApp } from '../helpers/runner-app.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

let runner: RunnerApi | undefined;
afterEach(async () => {
  await runner?.stop();
});

const historyOf = async (api: RunnerApi, runId: string) =>
  ((await api.api('GET', '/api/history')).json() as RunHistory).runs.find((run) => run.id === runId);

describe('a run a stop of the runner interrupted', () => {
  it('is listed as interrupted, and the abandon API closes it', async () => {
    const { file } = await fixtureManifest();
    const { stateDir, runId } = await stateOfAKilledRunner(file, 'runner-fixture', 'sleep-long');
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
    const { stateDir, runId } = await stateOfAKilledRunner(file, 'runner-fixture', 'sleep-long');
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
