import { randomUUID } from 'node:crypto';
import { type CommandStepSpec, replaceVariableReferences, type StepOutcome } from '../../protocol/index.ts';
import { extractCapture, type StepOutput } from '../capture/extract-capture.ts';
import { evaluateCheck } from '../checks/evaluate-check.ts';
import { encodeValues, type RenderedScript, withPrologue } from '../execution/render-script.ts';
import type { ProcessResult } from '../execution/run-process.ts';
import type { StepExecutor } from '../execution/step-executor.ts';
import type { RunStore } from '../store/run-store.ts';
import { logFileName, type OutputLimits, OutputPipeline } from './output-pipeline.ts';
import type { RunRuntime } from './run-runtime.ts';

export interface AttemptContext {
  runtime: RunRuntime;
  step: CommandStepSpec;
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

// Runs one attempt of a command step from start to its recorded end: the process (repeated while
// a wait-check has not yet held), captures, checks, and the outcome.
export async function runStepAttempt(context: AttemptContext): Promise<void> {
  const { runtime, step } = context;
  const attempt = (runtime.state.steps.get(step.id)?.attempt ?? 0) + 1;
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
  const waitChecks = step.checks.filter((check) => check.wait !== null);
  const deadline = Date.now() + Math.max(0, ...waitChecks.map((check) => check.wait?.timeoutMs ?? 0));
  const interval = Math.min(...waitChecks.map((check) => check.wait?.intervalMs ?? Number.POSITIVE_INFINITY));
  let poll = 1;
  let finished: { result: ProcessResult; output: StepOutput; pipeline: OutputPipeline };
  for (;;) {
    finished = await runOnce(context, attempt, processMarker, poll);
    const { result, output } = finished;
    if (waitChecks.length === 0 || result.canceled || result.timedOut || result.spawnError) break;
    const holding = waitChecks.every((check) => evaluateCheck(check, output, resolver(runtime)).passed);
    if (holding || Date.now() + interval > deadline || context.signal.aborted) break;
    poll++;
    await runtime.record({ type: 'wait-retry', stepId: step.id, attempt, poll });
    await sleep(interval, context.signal);
    if (context.signal.aborted) break;
  }
  const { result, output } = finished;
  const captureFailure = result.exitCode === 0 ? await recordCaptures(context, output) : null;
  let waitFailure: string | null = null;
  for (const check of step.checks) {
    const evaluated = evaluateCheck(check, output, resolver(runtime));
    if (check.wait && !evaluated.passed && !result.canceled) {
      waitFailure = `waited ${Math.round((check.wait.timeoutMs / 1000) * 10) / 10}s; "${check.label}" never held`;
    }
    await runtime.record({
      type: 'check-result',
      stepId: step.id,
      attempt,
      label: evaluated.label,
      passed: evaluated.passed,
      detail: runtime.masker.mask(evaluated.detail),
    });
  }
  const outcome = outcomeOf(result, captureFailure ?? waitFailure);
  await runtime.record({
    type: 'step-finished',
    stepId: step.id,
    attempt,
    outcome,
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: Math.round(performance.now() - started),
    timedOut: result.timedOut,
    canceled: result.canceled,
    message: messageOf(result, captureFailure ?? waitFailure),
  });
}

async function runOnce(
  context: AttemptContext,
  attempt: number,
  processMarker: string,
  poll: number,
): Promise<{ result: ProcessResult; output: StepOutput; pipeline: OutputPipeline }> {
  const { runtime, step } = context;
  const values = new Map(context.rendered.variables.map((name) => [name, runtime.value(name) ?? '']));
  const fileName =
    poll === 1 ? logFileName(step.id, attempt) : logFileName(step.id, attempt).replace(/\.log$/, `.poll${poll}.log`);
  const pipeline = new OutputPipeline({
    runtime,
    stepId: step.id,
    attempt,
    log: context.store.openStepLog(runtime.id, fileName),
    limits: context.limits,
    holdForSecrets: step.captures.some((capture) => capture.secret),
    keep: streamsRead(step),
  });
  const result = await context.executor.run({
    program: withPrologue(context.rendered),
    valuesPayload: encodeValues(context.rendered.variables, values),
    cwd: runtime.state.workdir,
    env: { ...context.env, DRILLBOOK_RUN_ID: runtime.id, DRILLBOOK_STEP_ID: step.id },
    timeoutMs: step.timeoutMs,
    idleTimeoutMs: step.idleTimeoutMs,
    graceMs: context.graceMs,
    marker: processMarker,
    signal: context.signal,
    onSpawn: (pgid) => {
      runtime.record({ type: 'step-spawned', stepId: step.id, attempt, pgid }).catch(() => undefined);
    },
    onOutput: (stream, chunk) => pipeline.push(stream, chunk),
  });
  const output: StepOutput = { stdout: pipeline.raw.stdout, stderr: pipeline.raw.stderr, exitCode: result.exitCode };
  // Secrets first, so that held output is masked with them before anyone sees it.
  if (result.exitCode === 0) registerSecretCaptures(context, output);
  await pipeline.finish();
  return { result, output, pipeline };
}

function streamsRead(step: CommandStepSpec): Set<'stdout' | 'stderr'> {
  const streams = new Set<'stdout' | 'stderr'>();
  for (const capture of step.captures) if (capture.source !== 'exitCode') streams.add(capture.source);
  for (const check of step.checks) if (check.assert.kind !== 'exit-code') streams.add(check.assert.stream);
  return streams;
}

function registerSecretCaptures(context: AttemptContext, output: StepOutput): void {
  for (const capture of context.step.captures.filter((item) => item.secret)) {
    const outcome = extractCapture(capture, output, resolver(context.runtime));
    if (outcome.kind === 'value') context.runtime.masker.register(outcome.value);
    if (outcome.kind === 'candidates')
      for (const candidate of outcome.candidates) context.runtime.masker.register(candidate);
  }
}

// Records each capture; returns the first failure, which fails the step.
async function recordCaptures(context: AttemptContext, output: StepOutput): Promise<string | null> {
  const { runtime, step } = context;
  let failure: string | null = null;
  for (const capture of step.captures) {
    const outcome = extractCapture(capture, output, resolver(context.runtime));
    if (outcome.kind === 'value') {
      if (capture.secret) runtime.registerSecret(capture.name, outcome.value);
      await runtime.record({
        type: 'captured',
        stepId: step.id,
        name: capture.name,
        value: capture.secret ? { secret: true } : { secret: false, value: outcome.value },
      });
    } else if (outcome.kind === 'candidates') {
      if (capture.secret) runtime.secretCandidates.set(capture.name, outcome.candidates);
      await runtime.record({
        type: 'capture-candidates',
        stepId: step.id,
        name: capture.name,
        secret: capture.secret,
        candidates: outcome.candidates.map((candidate) => runtime.masker.mask(candidate)),
      });
    } else {
      const message = runtime.masker.mask(outcome.message);
      failure ??= message;
      await runtime.record({ type: 'capture-failed', stepId: step.id, name: capture.name, message });
    }
  }
  return failure;
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
  if (result.exitCode !== 0) return result.signal ? `ended by ${result.signal}` : `exited with code ${result.exitCode}`;
  return failure;
}

function resolver(runtime: RunRuntime): (text: string) => string {
  return (text) => replaceVariableReferences(text, (name) => runtime.value(name) ?? '');
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
