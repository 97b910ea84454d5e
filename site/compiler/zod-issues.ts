import type { z } from 'zod';

export interface FriendlyIssue {
  path: PropertyKey[];
  message: string;
  hint: string;
}

// Turns zod issues into what a runbook author needs: what was found, what was expected, how to fix.
export function describeIssues(
  error: z.ZodError,
  subject: string,
  knownKeys: readonly string[],
  keyNoun = 'prop',
): FriendlyIssue[] {
  return error.issues.flatMap((issue): FriendlyIssue[] => {
    const where = issue.path.length > 0 ? issue.path.join('.') : subject;
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({
          path: [...issue.path, key],
          message: `${subject} has no ${keyNoun} "${key}"`,
          hint: suggest(key, knownKeys) ?? `known ${keyNoun}s: ${knownKeys.join(', ')}`,
        }));
      case 'invalid_type':
        return [
          {
            path: issue.path,
            message:
              issue.input === undefined
                ? `${subject} needs ${where}`
                : `${where} should be ${article(issue.expected)}, found ${describeValue(issue.input)}`,
            hint:
              issue.input === undefined
                ? `add ${where}="…" to ${subject}`
                : `write ${where}="text", ${where}={42} or ${where}={true} as the prop expects`,
          },
        ];
      case 'invalid_value': {
        const listed = issue.values.map((value) => JSON.stringify(value)).join(', ');
        if (issue.input === undefined) {
          return [
            {
              path: issue.path,
              message: `${subject} needs ${where}, one of ${listed}`,
              hint: `add ${where}=${JSON.stringify(String(issue.values[0]))} (or another of the listed values) to ${subject}`,
            },
          ];
        }
        return [
          {
            path: issue.path,
            message: `${where} is ${describeValue(issue.input)}, expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
            hint: suggestValue(issue.input, issue.values) ?? `use one of the listed values`,
          },
        ];
      }
      case 'invalid_union': {
        const expected = [
          ...new Set(issue.errors.flat().flatMap((inner) => (inner.code === 'invalid_type' ? [inner.expected] : []))),
        ];
        return [
          {
            path: issue.path,
            message: `${where} is ${describeValue(issue.input)}, which is not valid here`,
            hint:
              expected.length > 0 ? `${where} takes ${expected.map(article).join(' or ')}` : REFERENCE_HINT(subject),
          },
        ];
      }
      default:
        return [
          {
            path: issue.path,
            message: issue.path.length > 0 ? `${where}: ${issue.message}` : `${subject}: ${issue.message}`,
            hint: REFERENCE_HINT(subject),
          },
        ];
    }
  });
}

const REFERENCE_HINT = (subject: string) => `see ${subject} in the authoring reference, README.md#authoring-reference`;

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function suggestValue(input: unknown, values: readonly unknown[]): string | undefined {
  if (typeof input !== 'string') return undefined;
  const candidates = values.filter((value): value is string => typeof value === 'string');
  const match = closest(input, candidates);
  return match ? `did you mean "${match}"?` : undefined;
}

export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const match = closest(input, candidates);
  return match ? `did you mean "${match}"?` : undefined;
}

function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
