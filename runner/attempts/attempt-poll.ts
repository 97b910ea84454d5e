import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandStepSpec } from '../../protocol/index.ts';
import type { StepOutput } from '../capture/extract-capture.ts';
import { encodeValues, withPrologue } from '../execution/render-script.ts';
import type { ProcessResult } from '../execution/run-process.ts';
import type { AttemptContext } from './attempt-context.ts';
import { describeFault } from './attempt-faults.ts';
import type { AttemptRecorder } from './attempt-recorder.ts';
import { checkOutput, registerSecretCaptures } from './attempt-results.ts';
import { HeldOutput } from './held-output.ts';
import { logFileName, type OutputBudget, OutputPipeline, type Stream } from './output-pipeline.ts';

export interface Poll {
  result: ProcessResult;
  output: StepOutput;
  rawTruncated: Readonly<Record<Stream, boolean>>;
  faults: string[];
}

// Runs the step's process once (a wait-check runs it again per poll) and carries its output to
// the end: secrets a capture finds are registered before any held output is released.
export async function runPoll(
  context: AttemptContext,
  recorder: AttemptRecorder,
  processMarker: string,
  poll: number,
  budget: OutputBudget,
): Promise<Poll> {
  const { run, step, attempt } = context;
  const logFile = logFileName(step.id, attempt, poll, context.node);
  const holdsSecrets = step.captures.some((capture) => capture.secret);
  const spillFile = path.join(context.logs.dir, `.held-${processMarker}-${poll}`);
  const pipeline = new OutputPipeline({
    record: recorder.recordOutput,
    mask: run.masker,
    stepId: step.id,
    attempt,
    log: context.logs.open(logFile),
    logFile,
    limits: context.limits,
    budget,
    ...(holdsSecrets ? { held: new HeldOutput({ memoryBytes: context.limits.memoryBytes, spillFile }) } : {}),
    keep: streamsRead(step),
  });
  let spawned: Promise<string | null> = Promise.resolve(null);
  const result = await context.executor.run({
    program: withPrologue(context.rendered),
    valuesPayload: encodeValues(context.rendered.variables, new Map(context.values)),
    cwd: context.workdir,
    env: context.env,
    timeoutMs: step.timeoutMs,
    idleTimeoutMs: step.idleTimeoutMs,
    graceMs: context.graceMs,
    marker: processMarker,
    signal: context.signal,
    remote: {
      target: step.target,
      rendered: context.rendered,
      values: context.values,
      ...(context.argv ? { argv: context.argv } : {}),
    },
    onSpawn: (pgid) => {
      spawned = recorder.spawned(pgid);
    },
    onOutput: (stream, chunk) => pipeline.push(stream, chunk),
  });
  const output: StepOutput = { stdout: pipeline.raw.stdout, stderr: pipeline.raw.stderr, exitCode: result.exitCode };
  // Secrets first, so that held output is masked with them before anyone sees it.
  const withhold = registerSecretCaptures(context, output, pipeline.rawTruncated);
  await pipeline.finish({ withhold });
  const spawnFault = await spawned;
  const faults = [...(spawnFault === null ? [] : [spawnFault]), ...pipeline.faults];
  return { result, output, rawTruncated: pipeline.rawTruncated, faults };
}

function streamsRead(step: CommandStepSpec): Set<Stream> {
  const streams = new Set<Stream>();
  for (const capture of step.captures) if (capture.source !== 'exitCode') streams.add(capture.source);
  for (const check of step.checks) if (check.assert.kind !== 'exit-code') streams.add(check.assert.stream);
  return streams;
}

// Polls until every wait-check holds, the wait runs out, or something stops it; the last poll
// decides the step, with the faults of every poll.
export async function runPolls(
  context: AttemptContext,
  recorder: AttemptRecorder,
  processMarker: string,
): Promise<Poll> {
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
