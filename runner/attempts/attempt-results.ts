import { type CheckSpec, replaceVariableReferences } from '../../protocol/index.ts';
import { extractCapture, type StepOutput } from '../capture/extract-capture.ts';
import { type CheckResult, evaluateCheck } from '../checks/evaluate-check.ts';
import type { ProcessResult } from '../execution/run-process.ts';
import { warnIfTooShort } from '../secrets/secret-warnings.ts';
import type { AttemptContext } from './attempt-context.ts';
import type { AttemptRecorder } from './attempt-recorder.ts';
import type { Stream } from './output-pipeline.ts';

export type Truncation = Readonly<Record<Stream, boolean>>;

// Fills {{name}} in check values from the attempt's own snapshot of values.
export function resolverOf(values: ReadonlyMap<string, string>): (text: string) => string {
  return (text) => replaceVariableReferences(text, (name) => values.get(name) ?? '');
}

function tooLong(stream: Stream, context: AttemptContext): string {
  return `${stream} was longer than the ${Math.round(context.limits.memoryBytes / 1024)} KiB kept in memory`;
}

// Evaluates a check; on output cut short in memory only a match found in what was kept counts.
export function checkOutput(
  check: CheckSpec,
  output: StepOutput,
  truncated: Truncation,
  context: AttemptContext,
): CheckResult {
  const evaluated = evaluateCheck(check, output, resolverOf(context.values));
  const stream = check.assert.kind === 'exit-code' ? null : check.assert.stream;
  if (!stream || !truncated[stream]) return evaluated;
  if (evaluated.passed && check.assert.kind === 'regex' && check.assert.present) return evaluated;
  return { ...evaluated, passed: false, detail: `${tooLong(stream, context)}; it cannot be checked in full` };
}

// Registers every secret the output holds with the masker before the held output is released,
// whether the step succeeded or not. Returns the streams that must stay withheld: those a secret
// capture could not read in full, so the secret in them cannot be known and masked.
export function registerSecretCaptures(
  context: AttemptContext,
  output: StepOutput,
  truncated: Truncation,
): Map<Stream, string> {
  const withhold = new Map<Stream, string>();
  for (const capture of context.step.captures.filter((item) => item.secret)) {
    if (capture.source !== 'exitCode' && truncated[capture.source]) {
      withhold.set(
        capture.source,
        `${tooLong(capture.source, context)}, so the secret {{${capture.name}}} in it could not be found and masked`,
      );
      continue;
    }
    const outcome = extractCapture(capture, output, resolverOf(context.values));
    if (outcome.kind === 'value') context.run.masker.register(outcome.value);
    if (outcome.kind === 'candidates')
      for (const candidate of outcome.candidates) context.run.masker.register(candidate);
  }
  return withhold;
}

// Records each capture; returns the first failure, which fails the step.
export async function recordCaptures(
  context: AttemptContext,
  output: StepOutput,
  truncated: Truncation,
  recorder: AttemptRecorder,
): Promise<string | null> {
  const { run, step } = context;
  let failure: string | null = null;
  for (const capture of step.captures) {
    const outcome =
      capture.source !== 'exitCode' && truncated[capture.source]
        ? ({
            kind: 'failed',
            message: `${tooLong(capture.source, context)}; {{${capture.name}}} is not captured from part of it`,
          } as const)
        : extractCapture(capture, output, resolverOf(context.values));
    if (outcome.kind === 'value') {
      if (capture.secret) run.masker.register(outcome.value);
      const recorded = await recorder.result({
        type: 'captured',
        stepId: step.id,
        name: capture.name,
        value: capture.secret ? { secret: true } : { secret: false, value: outcome.value },
      });
      if (recorded && capture.secret) {
        run.registerSecret(capture.name, outcome.value);
        await warnIfTooShort(recorder, capture.name, outcome.value, step.id).catch(() => undefined);
      }
    } else if (outcome.kind === 'candidates') {
      if (capture.secret) run.secretCandidates.set(capture.name, outcome.candidates);
      await recorder.result({
        type: 'capture-candidates',
        stepId: step.id,
        name: capture.name,
        secret: capture.secret,
        candidates: outcome.candidates.map((candidate) => run.masker.mask(candidate)),
      });
    } else {
      const message = run.masker.mask(outcome.message);
      failure ??= message;
      await recorder.result({ type: 'capture-failed', stepId: step.id, name: capture.name, message });
    }
  }
  return failure;
}

// Records each check's result; returns why the step fails: a gating check that did not hold.
export async function recordChecks(
  context: AttemptContext,
  output: StepOutput,
  truncated: Truncation,
  result: ProcessResult,
  recorder: AttemptRecorder,
): Promise<string | null> {
  const { run, step, attempt } = context;
  let failure: string | null = null;
  for (const check of step.checks) {
    const evaluated = checkOutput(check, output, truncated, context);
    const detail = run.masker.mask(evaluated.detail);
    if (!evaluated.passed && !check.advisory && !result.canceled) {
      failure ??= check.wait
        ? `waited ${Math.round((check.wait.timeoutMs / 1000) * 10) / 10}s; check "${check.label}" never held (${detail})`
        : `check "${check.label}" failed (${detail})`;
    }
    await recorder.result({
      type: 'check-result',
      stepId: step.id,
      attempt,
      label: evaluated.label,
      passed: evaluated.passed,
      detail,
      node: context.node ?? null,
    });
  }
  return failure;
}
