import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventRecord, TraineeReport } from '../../protocol/index.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

let runner: RunnerApi;
beforeAll(async () => {
  runner = await startApp({ manifestFile: (await fixtureManifest('training-runbooks')).file });
});
afterAll(() => runner.stop());

async function createRun(mode: 'live' | 'training'): Promise<string> {
  const response = await runner.api('POST', '/api/runs', { runbook: 'training-fixture', operator: 'tia', mode });
  expect(response.status, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

async function runStep(runId: string, stepId: string, attempt: number): Promise<RunEventRecord[]> {
  const events = followEvents(runner, runId, finished(stepId, attempt));
  const response = await runner.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
    stepHash: stepHash(runner, stepId),
  });
  expect(response.status, response.body).toBe(202);
  return events;
}

const hint = (runId: string, label: string) =>
  runner.api('POST', `/api/runs/${runId}/steps/count-attempts/hint`, { label });

describe('training mode over HTTP', () => {
  it('offers a failed check’s hint, records it, and reports the trainee’s run', async () => {
    const runId = await createRun('training');
    expect((await hint(runId, 'ran twice')).json()).toMatchObject({ code: 'BAD_REQUEST' });
    await runStep(runId, 'count-attempts', 1);
    const shown = await hint(runId, 'ran twice');
    expect(shown.status, shown.body).toBe(200);
    expect(shown.json()).toEqual({ label: 'ran twice', hint: 'Run the step once more.' });
    expect((await hint(runId, 'exit code is 0')).status).toBe(404);
    await runStep(runId, 'count-attempts', 2);
    expect((await hint(runId, 'ran twice')).status).toBe(400);
    expect((await runner.api('POST', `/api/runs/${runId}/steps/optional/skip`, { reason: 'not needed' })).status).toBe(
      204,
    );
    expect((await runner.api('POST', `/api/runs/${runId}/complete`, {})).status).toBe(204);

    const report = (await runner.api('GET', `/api/runs/${runId}/trainee-report`)).json() as TraineeReport;
    expect(report.status).toBe('completed');
    expect(report.operator).toBe('tia');
    expect(report.totals).toEqual({
      steps: 2,
      done: 1,
      checks: 2,
      checksPassedFirstAttempt: 1,
      reruns: 1,
      skips: 1,
      overrides: 0,
      hintsUsed: 1,
    });
    const [count, optional] = report.steps;
    expect(count).toMatchObject({ id: 'count-attempts', status: 'succeeded', attempts: 2, hintsShown: ['ran twice'] });
    expect(count?.elapsedMs).toBeGreaterThanOrEqual(count?.runningMs ?? 0);
    expect(optional).toMatchObject({ id: 'optional', status: 'skipped', skipped: true, attempts: 0, elapsedMs: null });
  });

  it('offers no hints in a live run and validates the body', async () => {
    const runId = await createRun('live');
    await runStep(runId, 'count-attempts', 1);
    const refused = await hint(runId, 'ran twice');
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ message: 'hints are offered in training runs only' });
    expect((await runner.api('POST', `/api/runs/${runId}/steps/count-attempts/hint`, { label: '' })).status).toBe(400);
  });
});
