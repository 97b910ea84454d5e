import { z } from 'zod';
import { EnvironmentSchema } from './kube-target.ts';
import { RunbookRefSchema, RunModeSchema, RunStatusSchema } from './run-events.ts';

/** How a step of a run's runbook version differs from the runbook as it is now. */
export const StepDriftSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  change: z.enum(['changed', 'added', 'removed']),
  /** The step's hash in the run's version; null when the step is new. */
  before: z.string().nullable(),
  /** Its hash now; null when it was removed. */
  after: z.string().nullable(),
  /** A unified diff of the step's script (or instruction). */
  diff: z.string(),
});
export type StepDrift = z.output<typeof StepDriftSchema>;

export const RunDriftSchema = z.strictObject({
  /** Whether the runbook's content hash differs from the one the run was created on. */
  runbookChanged: z.boolean(),
  /** What the comparison knows: the whole runbook version saved with the run, or only the steps it ran. */
  basis: z.enum(['runbook', 'journal']),
  steps: z.array(StepDriftSchema),
});
export type RunDrift = z.output<typeof RunDriftSchema>;

// One row of the runs page: what it filters on (runbook, operator, outcome, environment, date),
// duration and outcome, and what changed in the runbook since the run.
export const RunHistoryEntrySchema = z.strictObject({
  id: z.string(),
  runbook: RunbookRefSchema,
  operator: z.string(),
  mode: RunModeSchema,
  status: RunStatusSchema,
  /** The pinned context's environment label; null when unlabelled or pinned to none. */
  environment: EnvironmentSchema.nullable(),
  context: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  /** From creation to end, or to the run's last event while it is open. */
  durationMs: z.int().nonnegative(),
  /**
   * How its steps ended, by count: `failed` counts every step whose last attempt did not succeed
   * (interrupted ones too); `interrupted`, those cut short by a stop of the runner (an open run
   * with one is shown as interrupted, to be re-run or abandoned).
   */
  steps: z.strictObject({
    done: z.int().nonnegative(),
    failed: z.int().nonnegative(),
    interrupted: z.int().nonnegative(),
    total: z.int().nonnegative(),
  }),
  drift: RunDriftSchema,
});
export type RunHistoryEntry = z.output<typeof RunHistoryEntrySchema>;

export const RunHistorySchema = z.strictObject({ runs: z.array(RunHistoryEntrySchema) });
export type RunHistory = z.output<typeof RunHistorySchema>;
