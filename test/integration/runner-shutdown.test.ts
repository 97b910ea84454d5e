import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { groupExists } from '../../runner/execution/process-group.ts';
import { JournalRunStore } from '../../runner/store/journal-run-store.ts';
import { followEvents, startRunner, stepHash } from '../helpers/runner-process.ts';

describe('Ctrl-C', () => {
  it('cancels running steps, records them as canceled, removes the token and exits 0', async () => {
    const runner = await startRunner();
    onTestFinished(() => runner.stop());
    const created = await runner.api('POST', '/api/runs', { runbook: 'runner-fixture', operator: 'ana' });
    const runId = (created.json() as { id: string }).id;
    const spawned = followEvents(runner, runId, (records) => records.some(({ event }) => event.type === 'output'));
    const started = await runner.api('POST', `/api/runs/${runId}/steps/sleep-long/run`, {
      stepHash: stepHash(runner, 'sleep-long'),
    });
    expect(started.status).toBe(202);
    const streamed = await spawned;
    const spawnedEvent = streamed.find(({ event }) => event.type === 'step-spawned')?.event;
    if (spawnedEvent?.type !== 'step-spawned') throw new Error('the step was never spawned');
    expect(spawnedEvent.pgid).toBeGreaterThan(1);
    expect(streamed.find(({ event }) => event.type === 'output')?.event).toMatchObject({ text: 'sleeping\n' });
    expect(groupExists(spawnedEvent.pgid)).toBe(true);
    const exited = new Promise<number | null>((resolve) => runner.child.once('exit', (code) => resolve(code)));
    runner.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(groupExists(spawnedEvent.pgid)).toBe(false);
    expect(existsSync(path.join(runner.stateDir, 'token'))).toBe(false);
    const { records } = await new JournalRunStore(runner.stateDir).load(runId);
    expect(records.map(({ event }) => event)).toContainEqual(spawnedEvent);
    expect(records.at(-1)?.event).toMatchObject({ type: 'step-finished', stepId: 'sleep-long', outcome: 'canceled' });
  });
});
