import { type CheckSpec, type RunEvent, replaceVariableReferences } from '../../protocol/index.ts';
import { extractCapture, type StepOutput } from '../capture/extract-capture.ts';
import { type CheckResult, evaluateCheck } from '../checks/evaluate-check.ts';
import type { ProcessResult } from '../execution/run-process.ts';
import type { Stream } from './output-pipeline.ts';
import { warnIfTooShort } from './secret-warnings.ts';
import type { AttemptContext } from './step-attempt.ts';

export type Truncation = Readonly<Record<Stream, boolean>>;
type Record_ = (event: RunEvent) => Promise<boolean>;

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
    if (outcome.kind === 'value') context.runtime.masker.register(outcome.value);
    if (outcome.kind === 'candidates')
      for (const candidate of outcome.candidates) context.runtime.masker.register(candidate);
  }
  return withhold;
}

// Records each capture; returns the first failure, which fails the step.
export async function recordCaptures(
  context: AttemptContext,
  output: StepOutput,
  truncated: Truncation,
  record: Record_,
): Promise<string | null> {
  const { runtime, step } = context;
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
      if (capture.secret) runtime.masker.register(outcome.value);
      const recorded = await record({
        type: 'captured',
        stepId: step.id,
        name: capture.name,
        value: capture.secret ? { secret: true } : { secret: false, value: outcome.value },
      });
      if (recorded && capture.secret) {
        runtime.registerSecret(capture.name, outcome.value);
        await warnIfTooShort(runtime, capture.name, outcome.value, step.id).catch(() => undefined);
      }
    } else if (outcome.kind === 'candidates') {
      if (capture.secret) runtime.secretCandidates.set(capture.name, outcome.candidates);
      await record({
        type: 'capture-candidates',
        stepId: step.id,
        name: capture.name,
        secret: capture.secret,
        candidates: outcome.candidates.map((candidate) => runtime.masker.mask(candidate)),
      });
    } else {
      const message = runtime.masker.mask(outcome.message);
      failure ??= message;
      await record({ type: 'capture-failed', stepId: step.id, name: capture.name, message });
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
  record: Record_,
): Promise<string | null> {
  const { runtime, step, attempt } = context;
  let failure: string | null = null;
  for (const check of step.checks) {
    const evaluated = checkOutput(check, output, truncated, context);
    const detail = runtime.masker.mask(evaluated.detail);
    if (!evaluated.passed && !check.advisory && !result.canceled) {
      failure ??= check.wait
        ? `waited ${Math.round((check.wait.timeoutMs / 1000) * 10) / 10}s; check "${check.label}" never held (${detail})`
        : `check "${check.label}" failed (${detail})`;
    }
    await record({
      type: 'check-result',
      stepId: step.id,
      attempt,
      label: evaluated.label,
      passed: evaluated.passed,
      detail,
    });
  }
  return failure;
}
