import { describe, expect, it } from 'vitest';
import { findProcessesByMarker, groupExists } from '../../../../runner/execution/process-group.ts';
import { readProcess } from '../../../../runner/execution/process-table.ts';
import { runTemplate } from '../../../helpers/run-script.ts';

// A child that ignores SIGTERM, and a grandchild that keeps stdout open after bash is gone.
const STUBBORN = `
trap '' TERM
( trap '' TERM; sleep 600 ) &
sleep 600 &
echo ready
wait
`;

async function expectNothingLeft(pgid: number | null, marker: string): Promise<void> {
  expect(pgid).not.toBeNull();
  expect(groupExists(pgid as number)).toBe(false);
  expect(await findProcessesByMarker(marker)).toEqual([]);
}

// The same look while the step runs must see it: an empty answer above then means something.
async function expectRunning(pgid: number, marker: string): Promise<void> {
  expect(groupExists(pgid)).toBe(true);
  expect((await findProcessesByMarker(marker)).length).toBeGreaterThan(0);
}

describe('process lifecycle', () => {
  it('cancel stops a child trapping SIGTERM and a grandchild holding stdout', async () => {
    const controller = new AbortController();
    const marker = `cancel-${Date.now()}`;
    const started = Date.now();
    let seenRunning: Promise<void> | undefined;
    const run = await runTemplate(
      STUBBORN,
      {},
      {
        marker,
        signal: controller.signal,
        graceMs: 300,
        onSpawn: (pgid) => {
          setTimeout(() => {
            const abort = () => controller.abort();
            seenRunning = expectRunning(pgid, marker);
            seenRunning.then(abort, abort);
          }, 300);
        },
      },
    );
    await seenRunning;
    expect(run.canceled).toBe(true);
    expect(run.timedOut).toBe(false);
    expect(run.stdout.toString()).toBe('ready\n');
    expect(Date.now() - started).toBeLessThan(5000);
    await expectNothingLeft(run.pgid, marker);
  });

  it('a wall-clock timeout ends the whole group', async () => {
    const marker = `timeout-${Date.now()}`;
    const run = await runTemplate(STUBBORN, {}, { marker, timeoutMs: 400, graceMs: 200 });
    expect(run.timedOut).toBe(true);
    // SIGTERM is ignored, so the group lives through the grace period and no longer.
    expect(run.durationMs).toBeGreaterThanOrEqual(600);
    expect(run.durationMs).toBeLessThan(2000);
    expect(run.exitCode).toBeNull();
    expect(run.signal).toBe('SIGKILL');
    await expectNothingLeft(run.pgid, marker);
  });

  it('an inactivity timeout fires when output stops, not while it flows', async () => {
    const flowing = await runTemplate('for i in 1 2 3 4 5 6; do echo $i; sleep 0.1; done', {}, { idleTimeoutMs: 400 });
    expect(flowing.timedOut).toBe(false);
    expect(flowing.exitCode).toBe(0);
    const stalled = await runTemplate('echo start; sleep 600', {}, { idleTimeoutMs: 300, graceMs: 200 });
    expect(stalled.idleTimedOut).toBe(true);
    expect(stalled.stdout.toString()).toBe('start\n');
    expect(stalled.durationMs).toBeGreaterThanOrEqual(300);
    expect(stalled.durationMs).toBeLessThan(1500);
  });

  it('a background process left by a finished step does not outlive it', async () => {
    const marker = `leftover-${Date.now()}`;
    const run = await runTemplate('sleep 600 &\necho "done $!"', {}, { marker, graceMs: 200 });
    expect(run.exitCode).toBe(0);
    const leftover = Number(/^done (\d+)\n$/.exec(run.stdout.toString())?.[1]);
    expect(leftover).toBeGreaterThan(1);
    expect(readProcess(leftover)?.zombie ?? true).toBe(true);
    await expectNothingLeft(run.pgid, marker);
  });

  it('records exit code, duration and stdin closed', async () => {
    const run = await runTemplate('read -r line || echo "no stdin"; sleep 0.3; exit 3');
    expect(run.exitCode).toBe(3);
    expect(run.stdout.toString()).toBe('no stdin\n');
    expect(run.durationMs).toBeGreaterThanOrEqual(300);
    expect(run.durationMs).toBeLessThan(1500);
    expect(run.canceled).toBe(false);
    expect(run.timedOut).toBe(false);
  });
});
