import { z } from 'zod';
import { RiskSchema, RunsOnSchema, StepKindSchema } from './step.ts';

// What a dry run shows for each step: the command as it would run with the values known so far,
// and which values only a live run can supply.
export const DryRunStepSchema = z.strictObject({
  /** The step's id in the runbook. */
  id: z.string(),
  /** The step's title. */
  title: z.string(),
  /** A command the runner would execute, or an instruction the operator carries out by hand. */
  kind: StepKindSchema,
  /** The command's risk; null for a manual step. */
  risk: RiskSchema.nullable(),
  /** Where the command takes effect; null for a manual step. */
  runsOn: RunsOnSchema.nullable(),
  /** The command with every known value filled in (secrets masked, unknown values as {{name}}). */
  command: z.string().nullable(),
  /** Values this step needs that only a live run captures from an earlier step's output. */
  liveOnly: z.array(z.string()),
  /** Other values this step needs that are not known yet (a manual input, an optional param). */
  missing: z.array(z.string()),
});
export type DryRunStep = z.output<typeof DryRunStepSchema>;

export const DryRunPlanSchema = z.strictObject({
  /** The run this plan belongs to. */
  runId: z.string(),
  /** Every step of the runbook, in order. */
  steps: z.array(DryRunStepSchema),
});
export type DryRunPlan = z.output<typeof DryRunPlanSchema>;
