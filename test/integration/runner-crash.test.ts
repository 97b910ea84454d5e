import { describe, expect, it } from 'vitest';
import { findProcessesByMarker, groupExists } from '../../runner/execution/process-group.ts';
import { followEvents, type RunnerHandle, startRunner, stepHash } from '../helpers/runner-process.ts';

// A run whose sleep-long step is running and has printed: its events so far.
async function startSleepingStep(runner: RunnerHandle) {
  const created = await runner.api('POST', '/api/runs', {
    runbook: 'runner-fixture',
    operator: 'ana',
    params: { word: 'kept' },
  });
  const runId = (created.json() as { id: string }).id;
  const spawned = followEvents(runner, runId, (records) =>
    records.some(({ event }) => event.type === 'output' && event.stepId === 'sleep-long'),
  );
  await runner.api('POST', `/api/runs/${runId}/steps/sleep-long/run`, { stepHash: stepHash(runner, 'sleep-long') });
  return { runId, records: await spawned };
}

describe('a runner killed mid-step', () => {
  it('comes back with the run, its values, the step interrupted and no process left', async () => {
    const first = await startRunner();
    const { runId, records } = await startSleepingStep(first);
    const started = records.find(({ event }) => event.type === 'step-started')?.event;
    const pgid = records.find(({ event }) => event.type === 'step-spawned')?.event;
    if (started?.type !== 'step-started' || pgid?.type !== 'step-spawned') throw new Error('no start recorded');
    expect(groupExists(pgid.pgid)).toBe(true);

    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // The same looks that must come back empty after recovery see the step's processes now.
    expect(groupExists(pgid.pgid)).toBe(true);
    expect(await findProcessesByMarker(started.processMarker)).not.toEqual([]);

    const second = await startRunner({ stateDir: first.stateDir });
    try {
      const view = (await second.api('GET', `/api/runs/${runId}`)).json() as {
        values: { name: string; value?: string }[];
        steps: { id: string; status: string }[];
      };
      expect(view.values.find((value) => value.name === 'word')?.value).toBe('kept');
      expect(view.steps.find((step) => step.id === 'sleep-long')?.status).toBe('interrupted');
      expect(groupExists(pgid.pgid)).toBe(false);
      expect(await findProcessesByMarker(started.processMarker)).toEqual([]);
      expect(second.logs()).toContain(`run ${runId}: step sleep-long was interrupted`);
      const again = await second.api('POST', `/api/runs/${runId}/steps/echo-word/run`, {
        stepHash: stepHash(second, 'echo-word'),
      });
      expect(again.status).toBe(202);
    } finally {
      await second.stop();
    }
  });

  it('is told apart from a runner still alive: a second runner on the same state folder leaves its step running', async () => {
    const first = await startRunner();
    try {
      const { runId, records } = await startSleepingStep(first);
      const pgid = records.find(({ event }) => event.type === 'step-spawned')?.event;
      if (pgid?.type !== 'step-spawned') throw new Error('no spawn recorded');

      const second = await startRunner({ stateDir: first.stateDir });
      try {
        expect(second.logs()).not.toContain(`run ${runId}: step sleep-long was interrupted`);
        expect(groupExists(pgid.pgid)).toBe(true);
        const seen = (await second.api('GET', `/api/runs/${runId}`)).json() as {
          steps: { id: string; status: string }[];
        };
        expect(seen.steps.find((step) => step.id === 'sleep-long')?.status).toBe('running');
      } finally {
        await second.stop();
      }
      const own = (await first.api('GET', `/api/runs/${runId}`)).json() as { steps: { id: string; status: string }[] };
      expect(own.steps.find((step) => step.id === 'sleep-long')?.status).toBe('running');
      const canceled = await first.api('POST', `/api/runs/${runId}/steps/sleep-long/cancel`, {});
      expect(canceled.status, canceled.body).toBeLessThan(300);
    } finally {
      await first.stop();
    }
  });
});
