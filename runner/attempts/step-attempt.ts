import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepOutcome } from '../../protocol/index.ts';
import type { ProcessResult } from '../execution/run-process.ts';
import type { AttemptContext } from './attempt-context.ts';
import { describeFault } from './attempt-faults.ts';
import { type Poll, runPoll } from './attempt-poll.ts';
import { AttemptRecorder } from './attempt-recorder.ts';
import { checkOutput, recordCaptures, recordChecks } from './attempt-results.ts';
import { runKubeBlocks } from './kube-blocks.ts';
import type { OutputBudget } from './output-pipeline.ts';

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
  const { result, output, rawTruncated, faults } = await runPolls(context, recorder, processMarker);
  const scriptOk = result.exitCode === 0 && faults.length === 0 && !result.canceled;
  const kubeFailure = scriptOk ? await runKubeBlocks(context, recorder) : null;
  const captureFailure = result.exitCode === 0 ? await recordCaptures(context, output, rawTruncated, recorder) : null;
  const checkFailure = await recordChecks(context, output, rawTruncated, result, recorder);
  if (recorder.resultFault) faults.push(recorder.resultFault);
  const failure =
    faults.length > 0
      ? `the step ran, but ${faults.join('; ')}`
      : (kubeFailure ?? captureFailure ?? checkFailure ?? null);
  await recorder.finished({
    outcome: outcomeOf(result, failure),
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: Math.round(performance.now() - started),
    timedOut: result.timedOut,
    canceled: result.canceled,
    message: messageOf(result, failure),
  });
}

// Polls until every wait-check holds, the wait runs out, or something stops it; the last poll
// decides the step, with the faults of every poll.
async function runPolls(context: AttemptContext, recorder: AttemptRecorder, processMarker: string): Promise<Poll> {
  const waitChecks = context.step.checks.filter((check) => check.wait !== null);
  const deadline = Date.now() + Math.max(0, ...waitChecks.map((check) => check.wait?.timeoutMs ?? 0));
  const interval = Math.min(...waitChecks.map((check) => check.wait?.intervalMs ?? Number.POSITIVE_INFINITY));
  const budget: OutputBudget = { sentBytes: 0 };
  const faults: string[] = [];
  for (let poll = 1; ; poll++) {
    const finished = await runPoll(context, recorder, processMarker, poll, budget);
    faults.push(...finished.faults);
    const last = { ...finished, faults };
    const { result, output, rawTruncated } = finished;
    if (waitChecks.length === 0 || result.canceled || result.timedOut || result.spawnError || faults.length > 0)
      return last;
    const holding = waitChecks.every((check) => checkOutput(check, output, rawTruncated, context).passed);
    if (holding || Date.now() + interval > deadline || context.signal.aborted) return last;
    try {
      await recorder.waitRetry(poll + 1);
    } catch (error) {
      faults.push(`the run's journal could not be written (${describeFault(error)}); the wait stopped`);
      return last;
    }
    await sleep(interval, undefined, { signal: context.signal }).catch(() => undefined);
    if (context.signal.aborted) return last;
  }
}

function outcomeOf(result: ProcessResult, failure: string | null): StepOutcome {
  if (result.canceled) return 'canceled';
  if (result.timedOut) return 'timed-out';
  if (result.exitCode !== 0 || failure !== null) return 'failed';
  return 'succeeded';
}

function messageOf(result: ProcessResult, failure: string | null): string | null {
  if (result.spawnError) return `bash could not start: ${result.spawnError.message}`;
  if (result.canceled) return 'canceled by the operator';
  if (result.idleTimedOut) return 'stopped: no output for longer than the idle timeout';
  if (result.timedOut) return 'stopped: the step ran longer than its timeout';
  if (result.exitCode !== 0) {
    const ended = result.signal ? `ended by ${result.signal}` : `exited with code ${result.exitCode}`;
    return failure ? `${ended}; ${failure}` : ended;
  }
  return failure;
}
