import { z } from 'zod';
import { CriterionResultSchema, DrillAttemptSchema, DrillAttemptStatusSchema, DrillSummarySchema } from './drill.ts';
import { SlugSchema } from './patterns.ts';
import { TraineeReportSchema } from './training.ts';

// The drills page's API: the drills with their past attempts, starting an attempt (reset, fault,
// training runs) and finishing it (criteria checked, attempt recorded).

export const DrillNameParamSchema = SlugSchema;
export const AttemptIdParamSchema = z.string().regex(/^[a-z0-9][-a-z0-9]{0,63}$/, 'not an attempt id');
export const StartDrillBodySchema = z.strictObject({ operator: z.string().trim().min(1).max(120) });

export const DrillAttemptSummarySchema = DrillAttemptSchema.pick({
  id: true,
  operator: true,
  via: true,
  startedAt: true,
  finishedAt: true,
  status: true,
});
export type DrillAttemptSummary = z.output<typeof DrillAttemptSummarySchema>;

/** GET /api/drills: what a trainee may see of each drill (never its fault), newest attempt first. */
export const DrillListItemSchema = DrillSummarySchema.extend({ attempts: z.array(DrillAttemptSummarySchema) });
export type DrillListItem = z.output<typeof DrillListItemSchema>;

/** POST /api/drills/:name/attempts: the cluster is broken, the training runs are created. */
export const StartedDrillSchema = z.strictObject({
  attemptId: z.string(),
  drill: SlugSchema,
  title: z.string(),
  operator: z.string(),
  startedAt: z.iso.datetime(),
  /** Milliseconds. */
  timeLimit: z.int().positive(),
  /** The symptoms, with the attempt's folder of files filled in. */
  symptoms: z.string(),
  runs: z.array(z.strictObject({ slug: SlugSchema, runId: z.string() })),
});
export type StartedDrill = z.output<typeof StartedDrillSchema>;

/** POST /api/drills/attempts/:id/finish: the grade. */
export const DrillGradeSchema = z.strictObject({
  attemptId: z.string(),
  drill: SlugSchema,
  status: DrillAttemptStatusSchema,
  criteria: z.array(CriterionResultSchema),
  elapsedMs: z.int().nonnegative(),
  timeLimit: z.int().positive(),
  reports: z.array(TraineeReportSchema),
});
export type DrillGrade = z.output<typeof DrillGradeSchema>;
