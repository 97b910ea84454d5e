import { z } from 'zod';
import { RunModeSchema, RunStatusSchema } from './run-events.ts';

// What the runner's API returns for a run. Secrets appear only as known/not known.
export const ValueViewSchema = z.strictObject({
  name: z.string(),
  known: z.boolean(),
  secret: z.boolean(),
  value: z.string().optional(),
  source: z.enum(['param', 'capture', 'override', 'choice', 'manual']).nullable(),
});
export type ValueView = z.output<typeof ValueViewSchema>;

export const StepViewSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['command', 'manual']),
  hash: z.string(),
  status: z.enum([
    'pending',
    'running',
    'succeeded',
    'failed',
    'timed-out',
    'canceled',
    'interrupted',
    'skipped',
    'acknowledged',
  ]),
  attempt: z.int().nonnegative(),
  exitCode: z.int().nullable(),
  durationMs: z.int().nullable(),
  message: z.string().nullable(),
  checks: z.array(z.strictObject({ label: z.string(), passed: z.boolean(), detail: z.string() })),
  logFile: z.string().nullable(),
  missing: z.array(z.string()),
});
export type StepView = z.output<typeof StepViewSchema>;

export const RunViewSchema = z.strictObject({
  id: z.string(),
  runbook: z.strictObject({ slug: z.string(), title: z.string(), contentHash: z.string() }),
  mode: RunModeSchema,
  operator: z.string(),
  status: RunStatusSchema,
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  lastSeq: z.int(),
  runningStep: z.string().nullable(),
  values: z.array(ValueViewSchema),
  steps: z.array(StepViewSchema),
  choices: z.array(
    z.strictObject({ name: z.string(), stepId: z.string(), candidates: z.array(z.string()), secret: z.boolean() }),
  ),
  notes: z.array(z.strictObject({ at: z.string(), text: z.string() })),
});
export type RunView = z.output<typeof RunViewSchema>;

export const RunSummarySchema = RunViewSchema.pick({
  id: true,
  mode: true,
  operator: true,
  status: true,
  createdAt: true,
  endedAt: true,
}).extend({
  runbook: z.strictObject({ slug: z.string(), title: z.string(), contentHash: z.string() }),
  progress: z.strictObject({ done: z.int(), total: z.int() }),
});
export type RunSummary = z.output<typeof RunSummarySchema>;
