import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { CommandStepSpec, RunEvent, StepOutcome } from '../../protocol/index.ts';
import type { StepOutput } from '../capture/extract-capture.ts';
import { encodeValues, type RenderedScript, withPrologue } from '../execution/render-script.ts';
import type { ProcessResult } from '../execution/run-process.ts';
import type { StepExecutor } from '../execution/step-executor.ts';
import type { RunStore } from '../store/run-store.ts';
import { describeFault } from './attempt-faults.ts';
import { checkOutput, recordCaptures, recordChecks, registerSecretCaptures } from './attempt-results.ts';
import { HeldOutput } from './held-output.ts';
import { logFileName, type OutputBudget, type OutputLimits, OutputPipeline } from './output-pipeline.ts';
import type { RunRuntime } from './run-runtime.ts';

export interface AttemptContext {
  runtime: RunRuntime;
  step: CommandStepSpec;
  attempt: number;
  /** The values of the step's references, taken and validated once when the attempt started. */
  values: ReadonlyMap<string, string>;
  rendered: RenderedScript;
  executor: StepExecutor;
  store: RunStore;
  env: Record<string, string | undefined>;
  limits: OutputLimits;
  graceMs: number;
  signal: AbortSignal;
  /** Called once the start is on disk, before the process is spawned. */
  onStarted?: () => void;
}

interface Poll {
  result: ProcessResult;
  output: StepOutput;
  pipeline: OutputPipeline;
  faults: string[];
}

// Runs one attempt of a command step from start to its recorded end: the process (repeated while
// a wait-check has not yet held), captures, checks, and the outcome. A write that fails after the
// start fails the step with the reason, and no further process is spawned.
export async function runStepAttempt(context: AttemptContext): Promise<void> {
  const { runtime, step, attempt } = context;
  const processMarker = randomUUID();
  await runtime.record({
    type: 'step-started',
    stepId: step.id,
    stepHash: step.hash,
    attempt,
    script: step.script,
    references: step.references,
    processMarker,
  });
  context.onStarted?.();
  const started = performance.now();
  const faults: string[] = [];
  const budget: OutputBudget = { sentBytes: 0 };
  const waitChecks = step.checks.filter((check) => check.wait !== null);
  const deadline = Date.now() + Math.max(0, ...waitChecks.map((check) => check.wait?.timeoutMs ?? 0));
  const interval = Math.min(...waitChecks.map((check) => check.wait?.intervalMs ?? Number.POSITIVE_INFINITY));
  let poll = 1;
  let finished: Poll;
  for (;;) {
    finished = await runOnce(context, processMarker, poll, budget);
    faults.push(...finished.faults);
    const { result, output, pipeline } = finished;
    if (waitChecks.length === 0 || result.canceled || result.timedOut || result.spawnError || faults.length > 0) break;
    const holding = waitChecks.every((check) => checkOutput(check, output, pipeline.rawTruncated, context).passed);
    if (holding || Date.now() + interval > deadline || context.signal.aborted) break;
    poll++;
    try {
      await runtime.record({ type: 'wait-retry', stepId: step.id, attempt, poll });
    } catch (error) {
      faults.push(`the run's journal could not be written (${describeFault(error)}); the wait stopped`);
      break;
    }
    await sleep(interval, context.signal);
    if (context.signal.aborted) break;
  }
  const { result, output, pipeline } = finished;
  let lost = 0;
  let lostBecause: unknown;
  const record = (event: RunEvent) =>
    runtime.record(event).then(
      () => true,
      (error: unknown) => {
        lost++;
        lostBecause ??= error;
        return false;
      },
    );
  const captureFailure =
    result.exitCode === 0 ? await recordCaptures(context, output, pipeline.rawTruncated, record) : null;
  const checkFailure = await recordChecks(context, output, pipeline.rawTruncated, result, record);
  if (lost > 0) faults.push(`${lost} results could not be recorded (${describeFault(lostBecause)})`);
  const failure =
    faults.length > 0 ? `the step ran, but ${faults.join('; ')}` : (captureFailure ?? checkFailure ?? null);
  await runtime.record({
    type: 'step-finished',
    stepId: step.id,
    attempt,
    outcome: outcomeOf(result, failure),
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: Math.round(performance.now() - started),
    timedOut: result.timedOut,
    canceled: result.canceled,
    message: messageOf(result, failure),
  });
}

async function runOnce(context: AttemptContext, processMarker: string, poll: number, budget: OutputBudget) {
  const { runtime, step, attempt } = context;
  const logFile = logFileName(step.id, attempt, poll);
  const holdsSecrets = step.captures.some((capture) => capture.secret);
  const spillFile = path.join(context.store.pathsOf(runtime.id).logDir, `.held-${processMarker}-${poll}`);
  const pipeline = new OutputPipeline({
    runtime,
    stepId: step.id,
    attempt,
    log: context.store.openStepLog(runtime.id, logFile),
    logFile,
    limits: context.limits,
    budget,
    ...(holdsSecrets ? { held: new HeldOutput({ memoryBytes: context.limits.memoryBytes, spillFile }) } : {}),
    keep: streamsRead(step),
  });
  let spawned: Promise<unknown> = Promise.resolve();
  const result = await context.executor.run({
    program: withPrologue(context.rendered),
    valuesPayload: encodeValues(context.rendered.variables, new Map(context.values)),
    cwd: runtime.state.workdir,
    env: { ...context.env, DRILLBOOK_RUN_ID: runtime.id, DRILLBOOK_STEP_ID: step.id },
    timeoutMs: step.timeoutMs,
    idleTimeoutMs: step.idleTimeoutMs,
    graceMs: context.graceMs,
    marker: processMarker,
    signal: context.signal,
    onSpawn: (pgid) => {
      spawned = runtime.record({ type: 'step-spawned', stepId: step.id, attempt, pgid }).then(
        () => null,
        (error: unknown) => `its process group could not be recorded (${describeFault(error)})`,
      );
    },
    onOutput: (stream, chunk) => pipeline.push(stream, chunk),
  });
  const output: StepOutput = { stdout: pipeline.raw.stdout, stderr: pipeline.raw.stderr, exitCode: result.exitCode };
  // Secrets first, so that held output is masked with them before anyone sees it.
  const withhold = registerSecretCaptures(context, output, pipeline.rawTruncated);
  await pipeline.finish({ withhold });
  const spawnFault = await spawned;
  const faults = [...(typeof spawnFault === 'string' ? [spawnFault] : []), ...pipeline.faults];
  return { result, output, pipeline, faults } satisfies Poll;
}

function streamsRead(step: CommandStepSpec): Set<'stdout' | 'stderr'> {
  const streams = new Set<'stdout' | 'stderr'>();
  for (const capture of step.captures) if (capture.source !== 'exitCode') streams.add(capture.source);
  for (const check of step.checks) if (check.assert.kind !== 'exit-code') streams.add(check.assert.stream);
  return streams;
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

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
