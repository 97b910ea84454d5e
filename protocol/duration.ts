import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

// Authors write durations the way kubectl does ("30s", "5m"); the manifest carries milliseconds.
export const DurationSchema = z.union([z.string(), z.number()]).transform((value, context) => {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 0) return value * 1000;
    context.addIssue({
      code: 'custom',
      message: `expected a positive whole number of seconds, found ${value}`,
    });
    return z.NEVER;
  }
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) {
    context.addIssue({
      code: 'custom',
      message: `expected a duration such as "30s", "5m" or "1h", found "${value}"`,
    });
    return z.NEVER;
  }
  const milliseconds = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (milliseconds <= 0) {
    context.addIssue({
      code: 'custom',
      message: `a duration must be longer than zero, found "${value}"`,
    });
    return z.NEVER;
  }
  return Math.round(milliseconds);
});
