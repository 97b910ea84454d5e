import type { RunnerHandle } from '../test/helpers/runner-process.ts';
import { createRun, runStep, spawnOnce, time, verdict } from './measure.ts';
import { RunEvents, stepFinished } from './run-events.ts';

const TARGET_RATIO = 1.5;
const ROUNDS = 8;

// A `true` step, from the POST that runs it to its step-finished event on the run's open event
// stream, against `bash -c true` spawned directly. Both are measured in alternating rounds, so
// that a neighbour's load falls on both alike.
export async function benchDispatch(runner: RunnerHandle, steps: number): Promise<string> {
  const runId = await createRun(runner);
  const events = new RunEvents(runner, runId, () => undefined);
  let attempt = 0;
  let direct = 0;
  let viaApi = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const count = Math.round(steps / ROUNDS);
      direct += (
        await time(async () => {
          for (let i = 0; i < count; i++) await spawnOnce(['-c', 'true']);
        })
      ).seconds;
      viaApi += (
        await time(async () => {
          for (let i = 0; i < count; i++) {
            const done = events.waitFor(stepFinished('noop', ++attempt));
            await runStep(runner, runId, 'noop');
            await done;
          }
        })
      ).seconds;
    }
  } finally {
    events.close();
  }
  const ratio = viaApi / direct;
  const perStep = (seconds: number) => ((seconds / attempt) * 1000).toFixed(1);
  return [
    `dispatch: ${attempt} \`true\` steps through the HTTP API ${viaApi.toFixed(2)} s (${perStep(viaApi)} ms/step)`,
    `          vs ${attempt} direct \`bash -c true\` spawns ${direct.toFixed(2)} s (${perStep(direct)} ms/spawn)`,
    `          ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×) ${verdict(ratio <= TARGET_RATIO)}`,
  ].join('\n');
}
