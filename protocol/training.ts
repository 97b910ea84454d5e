import { z } from 'zod';
import { StepIdSchema } from './patterns.ts';
import { RunbookRefSchema, RunStatusSchema } from './run-events.ts';
import { StepStatusSchema } from './run-view.ts';
import { StepKindSchema } from './step.ts';

export const TraineeStepSchema = z.strictObject({
  id: StepIdSchema,
  title: z.string(),
  kind: StepKindSchema,
  /** How the step stands at the end: succeeded, failed, skipped, acknowledged, pending (never run)... */
  status: StepStatusSchema,
  attempts: z.int().nonnegative(),
  /** Attempts after the first. */
  reruns: z.int().nonnegative(),
  /** From the first attempt's start to the last attempt's end (reading output and hints included); null if never run. */
  elapsedMs: z.int().nonnegative().nullable(),
  /** The sum of the attempts' durations. */
  runningMs: z.int().nonnegative(),
  /** Checks of the first attempt: how many there were and how many held (a wait check counts by its last poll). */
  firstAttemptChecks: z.strictObject({ total: z.int().nonnegative(), passed: z.int().nonnegative() }),
  skipped: z.boolean(),
  /** Labels of the checks whose hint the trainee was shown. */
  hintsShown: z.array(z.string()),
});
export type TraineeStep = z.output<typeof TraineeStepSchema>;

// What a trainee did in a run, computed from its events only (runner/training/trainee-report.ts).
export const TraineeReportSchema = z.strictObject({
  runId: z.string(),
  runbook: RunbookRefSchema,
  operator: z.string(),
  status: RunStatusSchema,
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  /** From the run's creation to its end, or to its last event while it is active. */
  totalMs: z.int().nonnegative(),
  steps: z.array(TraineeStepSchema),
  totals: z.strictObject({
    steps: z.int().nonnegative(),
    /** Steps that succeeded or were acknowledged. */
    done: z.int().nonnegative(),
    checks: z.int().nonnegative(),
    checksPassedFirstAttempt: z.int().nonnegative(),
    reruns: z.int().nonnegative(),
    skips: z.int().nonnegative(),
    /** Values overridden and preflight items overridden. */
    overrides: z.int().nonnegative(),
    hintsUsed: z.int().nonnegative(),
  }),
});
export type TraineeReport = z.output<typeof TraineeReportSchema>;

export const ShowHintBodySchema = z.strictObject({ label: z.string().min(1).max(2000) });
