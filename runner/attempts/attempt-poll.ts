import path from 'node:path';
import type { CommandStepSpec } from '../../protocol/index.ts';
import type { StepOutput } from '../capture/extract-capture.ts';
import { encodeValues, withPrologue } from '../execution/render-script.ts';
import type { ProcessResult } from '../execution/run-process.ts';
import type { AttemptContext } from './attempt-context.ts';
import type { AttemptRecorder } from './attempt-recorder.ts';
import { registerSecretCaptures } from './attempt-results.ts';
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
  const logFile = logFileName(step.id, attempt, poll);
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
    remote: { target: step.target, rendered: context.rendered, values: context.values },
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
