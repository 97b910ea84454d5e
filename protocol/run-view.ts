import { z } from 'zod';
import { KubeTargetSchema } from './kube-target.ts';
import { PreflightItemViewSchema } from './preflight.ts';
import { RunbookRefSchema, RunModeSchema, RunStatusSchema, StepOutcomeSchema } from './run-events.ts';
import { StepKindSchema } from './step.ts';

/** Where a run's value came from: a param, a capture, an override, a chosen candidate, a manual step. */
export const ValueSourceSchema = z.enum(['param', 'capture', 'override', 'choice', 'manual']);
export type ValueSource = z.output<typeof ValueSourceSchema>;

/** Where a step stands in a run: not run yet, running, how its last attempt ended, or set aside. */
export const StepStatusSchema = z.enum(['pending', 'running', ...StepOutcomeSchema.options, 'skipped', 'acknowledged']);
export type StepStatus = z.output<typeof StepStatusSchema>;

// What the runner's API returns for a run. Secrets appear only as known/not known.
export const ValueViewSchema = z.strictObject({
  /** The variable's name. */
  name: z.string(),
  /** Whether the run has a value for it. */
  known: z.boolean(),
  /** Whether it is masked everywhere. */
  secret: z.boolean(),
  /** The value, only when known and not secret. */
  value: z.string().optional(),
  /** Where the value came from; null while it is not known. */
  source: ValueSourceSchema.nullable(),
});
export type ValueView = z.output<typeof ValueViewSchema>;

export const CheckResultSchema = z.strictObject({
  /** What the check asserts, as the page shows it. */
  label: z.string(),
  /** Whether it held. */
  passed: z.boolean(),
  /** What was found, in a few words. */
  detail: z.string(),
});
export type CheckResult = z.output<typeof CheckResultSchema>;

export const StepViewSchema = z.strictObject({
  /** The step's id in the runbook. */
  id: z.string(),
  /** A command or a manual step. */
  kind: StepKindSchema,
  /** The step's hash in the manifest; a run request must send it back. */
  hash: z.string(),
  /** Where the step stands. */
  status: StepStatusSchema,
  /** Attempts so far; 0 before the first. */
  attempt: z.int().nonnegative(),
  /** The last attempt's exit code, when it exited. */
  exitCode: z.int().nullable(),
  /** How long the last attempt took, when it ended. */
  durationMs: z.int().nullable(),
  /** Why the last attempt ended as it did, when that needs saying. */
  message: z.string().nullable(),
  /** The checks of the last attempt. */
  checks: z.array(CheckResultSchema),
  /** The full log offered for download, when the output was cut short on the page. */
  logFile: z.string().nullable(),
  /** Values the step needs that the run does not know yet. */
  missing: z.array(z.string()),
  /** Failed preflight items (ids) that stop the step until fixed or overridden. */
  blockedBy: z.array(z.string()),
});
export type StepView = z.output<typeof StepViewSchema>;

export const ChoiceViewSchema = z.strictObject({
  /** The capture waiting for the operator's choice. */
  name: z.string(),
  /** The step that captured the candidates. */
  stepId: z.string(),
  /** The candidates, masked when secret. */
  candidates: z.array(z.string()),
  /** Whether the capture is secret. */
  secret: z.boolean(),
});
export type ChoiceView = z.output<typeof ChoiceViewSchema>;

export const NoteViewSchema = z.strictObject({
  /** When the note was added. */
  at: z.string(),
  /** The note, with secrets masked. */
  text: z.string(),
});
export type NoteView = z.output<typeof NoteViewSchema>;

export const RunViewSchema = z.strictObject({
  /** The run's id. */
  id: z.string(),
  /** The runbook it follows. */
  runbook: RunbookRefSchema,
  /** Live, dry run or training. */
  mode: RunModeSchema,
  /** Who started it. */
  operator: z.string(),
  /** The cluster every step runs against; null when the run is pinned to none. */
  target: KubeTargetSchema.nullable(),
  /** Active until completed or abandoned. */
  status: RunStatusSchema,
  /** When it was created. */
  createdAt: z.string(),
  /** When it ended, if it has. */
  endedAt: z.string().nullable(),
  /** The sequence number of its last event; the event stream resumes after it. */
  lastSeq: z.int(),
  /** The step running now, if any. */
  runningStep: z.string().nullable(),
  /** Every variable of the runbook. */
  values: z.array(ValueViewSchema),
  /** Every step of the runbook, in order. */
  steps: z.array(StepViewSchema),
  /** Captures waiting for the operator to pick a candidate. */
  choices: z.array(ChoiceViewSchema),
  /** The operator's notes, in order. */
  notes: z.array(NoteViewSchema),
  /** The preflight checklist, in the order checked. */
  preflight: z.array(PreflightItemViewSchema),
});
export type RunView = z.output<typeof RunViewSchema>;

export const RunSummarySchema = RunViewSchema.pick({
  id: true,
  runbook: true,
  mode: true,
  operator: true,
  status: true,
  createdAt: true,
  endedAt: true,
}).extend({
  /** Steps done (neither pending nor running) out of all. */
  progress: z.strictObject({ done: z.int(), total: z.int() }),
});
export type RunSummary = z.output<typeof RunSummarySchema>;
