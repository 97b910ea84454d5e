import { randomUUID } from 'node:crypto';
import type { AttemptContext } from './attempt-context.ts';
import { endOf } from './attempt-outcome.ts';
import { runPolls } from './attempt-poll.ts';
import { AttemptRecorder } from './attempt-recorder.ts';
import { recordCaptures, recordChecks } from './attempt-results.ts';
import { runOnEachNode } from './fan-out-attempt.ts';
import { runKubeBlocks } from './kube-blocks.ts';

// Runs one attempt of a command step from start to its recorded end: the start, the process
// (again while a wait-check has not yet held), captures, checks, and the outcome. A write that
// fails after the start fails the step with the reason, and no further process is spawned.
export async function runStepAttempt(context: AttemptContext): Promise<void> {
  const { step, attempt } = context;
  const recorder = new AttemptRecorder(context.run, step.id, attempt);
  const processMarker = randomUUID();
  await recorder.started(step, processMarker);
  context.onStarted?.();
  const started = performance.now();
  if (context.nodes !== null) {
    await runOnEachNode(context, context.nodes, recorder, processMarker, started);
    return;
  }
  const { result, output, rawTruncated, faults } = await runPolls(context, recorder, processMarker);
  const scriptOk = result.exitCode === 0 && faults.length === 0 && !result.canceled;
  const kubeFailure = scriptOk ? await runKubeBlocks(context, recorder) : null;
  const captureFailure = result.exitCode === 0 ? await recordCaptures(context, output, rawTruncated, recorder) : null;
  const checkFailure = await recordChecks(context, output, rawTruncated, result, recorder);
  if (recorder.resultFault) faults.push(recorder.resultFault);
  await recorder.finished({
    ...endOf(result, faults, kubeFailure ?? captureFailure ?? checkFailure ?? null),
    signal: result.signal,
    durationMs: Math.round(performance.now() - started),
    timedOut: result.timedOut,
    canceled: result.canceled,
  });
}
