import {
  describeControlCharacter,
  listStepCaptures,
  matchesWholeValue,
  type ParamSpec,
  type RunbookSpec,
} from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

// Whether a runbook defines a variable (by param, capture or manual input), whether it is secret,
// and whether its value may begin with "-".
export function findVariable(
  runbook: RunbookSpec | undefined,
  name: string,
): { secret: boolean; mayStartWithDash: boolean } | undefined {
  if (!runbook) return undefined;
  const param = runbook.params.find((item) => item.name === name);
  if (param) return { secret: param.secret, mayStartWithDash: param.mayStartWithDash ?? false };
  for (const step of runbook.steps) {
    if (step.kind === 'command') {
      const capture = listStepCaptures(step).find((item) => item.name === name);
      if (capture) return { secret: capture.secret, mayStartWithDash: capture.mayStartWithDash };
    } else if (step.input?.name === name) {
      return { secret: step.input.secret, mayStartWithDash: step.input.mayStartWithDash ?? false };
    }
  }
  return undefined;
}

// An operator's one-line value (a manual step's input): no control characters.
export function assertOneLine(name: string, value: string): void {
  const control = describeControlCharacter(value);
  if (control) throw new RunnerError('INVALID_VALUE', `{{${name}}} ${control}`);
}

export function assertNoNul(name: string, value: string): void {
  if (value.includes('\0')) throw new RunnerError('INVALID_VALUE', `{{${name}}} contains a NUL byte`);
}

// Checks operator-supplied params against their declarations; defaults fill what was not given.
export function resolveParams(runbook: RunbookSpec, given: Record<string, string>): Map<string, string> {
  const declared = new Map<string, ParamSpec>(runbook.params.map((param) => [param.name, param]));
  const unknown = Object.keys(given).filter((name) => !declared.has(name));
  if (unknown.length > 0)
    throw new RunnerError('INVALID_VALUE', `runbook "${runbook.slug}" has no param ${unknown.join(', ')}`);
  const values = new Map<string, string>();
  const problems: string[] = [];
  for (const param of runbook.params) {
    const value = given[param.name] ?? param.default;
    if (value === undefined || value === '') {
      if (param.required) problems.push(`${param.label} is required`);
      continue;
    }
    const control = describeControlCharacter(value);
    if (control) problems.push(`${param.label} (${param.name}) ${control}`);
    else if (param.pattern && !matchesWholeValue(param.pattern, value))
      problems.push(`${param.label} (${param.name}) must match /${param.pattern}/ as a whole`);
    else if (param.enum && !param.enum.includes(value))
      problems.push(`${param.label} must be one of ${param.enum.join(', ')}`);
    else values.set(param.name, value);
  }
  if (problems.length > 0) throw new RunnerError('INVALID_VALUE', problems.join('; '), { details: { problems } });
  return values;
}
