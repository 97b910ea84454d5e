import { readFile } from 'node:fs/promises';
import type { RunnerHandle } from '../test/helpers/runner-process.ts';
import { createRun, runStep, spawnOnce, time, verdict } from './measure.ts';
import { RunEvents, stepFinished } from './run-events.ts';

async function peakRssMb(pid: number): Promise<number> {
  return Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

// Many megabytes through the runner (masked, logged, capped events) against a plain pipe.
export async function benchStreaming(
  runner: RunnerHandle,
  megabytes: number,
  secrets: Record<string, string>,
): Promise<string> {
  const bytes = megabytes * 1024 * 1024;
  const runId = await createRun(runner, { bytes: String(bytes), ...secrets });
  const pipe = await time(() => spawnOnce(['-c', `head -c ${bytes} < <(yes 'drillbook benchmark output line')`]));
  const events = new RunEvents(runner, runId, () => undefined);
  const viaRunner = await time(async () => {
    const done = events.waitFor(stepFinished('stream'));
    await runStep(runner, runId, 'stream');
    await done;
  }).finally(() => events.close());
  const pipeRate = megabytes / pipe.seconds;
  const runnerRate = megabytes / viaRunner.seconds;
  const share = runnerRate / pipeRate;
  const rss = await peakRssMb(runner.child.pid as number);
  return [
    `streaming: ${megabytes} MB through the runner (3 secrets masked, full log on disk, capped events to an SSE client)`,
    `          ${viaRunner.seconds.toFixed(2)} s = ${runnerRate.toFixed(0)} MB/s vs a plain pipe ${pipe.seconds.toFixed(2)} s = ${pipeRate.toFixed(0)} MB/s`,
    `          ${(share * 100).toFixed(0)}% of the pipe (target ≥ 25%) ${verdict(share >= 0.25)}`,
    `memory:    runner peak RSS ${rss.toFixed(0)} MB after ${megabytes} MB of output (target ≤ 200 MB) ${verdict(rss <= 200)}`,
  ].join('\n');
}
