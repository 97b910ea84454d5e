import { z } from 'zod';
import { StepIdSchema } from './patterns.ts';
import { RunModeSchema } from './run-events.ts';
import { VariableNameSchema } from './variables.ts';

// Bodies and parameters of the runner's HTTP API. The browser sends ids and values, never commands.

export const CreateRunBodySchema = z.strictObject({
  runbook: z.string().min(1).max(200),
  operator: z.string().trim().min(1).max(120),
  mode: RunModeSchema.default('live'),
  params: z.record(VariableNameSchema, z.string().max(1_048_576)).default({}),
});
export type CreateRunBody = z.input<typeof CreateRunBodySchema>;

/** An idempotency key: sent again with the same run, it gets the first answer and runs nothing. */
export const RequestIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'a request id is 1 to 200 visible ASCII characters');
export const RunStepBodySchema = z.strictObject({
  stepHash: z.string().regex(/^[0-9a-f]{64}$/),
  requestId: RequestIdSchema.optional(),
});
export const SkipStepBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const OverrideValueBodySchema = z.strictObject({
  value: z.string().max(1_048_576),
  reason: z.string().trim().min(1).max(2000),
});
export const ChooseCandidateBodySchema = z.strictObject({ index: z.int().nonnegative() });
export const AcknowledgeBodySchema = z.strictObject({ value: z.string().max(1_048_576).optional() });
export const NoteBodySchema = z.strictObject({ text: z.string().trim().min(1).max(20_000) });
export const EmptyBodySchema = z.strictObject({});

export const RunIdParamSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a run id');
export const StepIdParamSchema = StepIdSchema;
export const VariableParamSchema = VariableNameSchema;

export const ApiErrorSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.output<typeof ApiErrorSchema>;
