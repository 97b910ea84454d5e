import { z } from 'zod';
import { Sha256HexSchema, StepIdSchema } from './patterns.ts';
import { RunModeSchema } from './run-events.ts';
import { VariableNameSchema } from './variables.ts';

// Bodies and parameters of the runner's HTTP API. The browser sends ids and values, never commands.

/** A value the operator sends: a param, an override, a manual value (1 MiB at most). */
const ValueTextSchema = z.string().max(1_048_576);

export const CreateRunBodySchema = z.strictObject({
  runbook: z.string().min(1).max(200),
  operator: z.string().trim().min(1).max(120),
  mode: RunModeSchema.default('live'),
  /** The kube context the run is pinned to (GET /api/contexts lists them); without one, steps reach no cluster. */
  context: z.string().min(1).max(253).optional(),
  params: z.record(VariableNameSchema, ValueTextSchema).default({}),
});
export type CreateRunBody = z.input<typeof CreateRunBodySchema>;
export type CreateRunRequest = z.output<typeof CreateRunBodySchema>;

/** An idempotency key: sent again with the same run, it gets the first answer and runs nothing. */
export const RequestIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'a request id is 1 to 200 visible ASCII characters');
export const RunStepBodySchema = z.strictObject({
  stepHash: Sha256HexSchema,
  requestId: RequestIdSchema.optional(),
  /** The cluster's name as the operator typed it: required for a destructive step on production. */
  confirmCluster: z.string().max(253).optional(),
  /** The pod to run in, for a podSelector step that matched several (one of details.candidates). */
  pod: z.string().min(1).max(253).optional(),
});
export const SkipStepBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const OverrideValueBodySchema = z.strictObject({
  value: ValueTextSchema,
  reason: z.string().trim().min(1).max(2000),
});
export const ChooseCandidateBodySchema = z.strictObject({ index: z.int().nonnegative() });
export const AcknowledgeBodySchema = z.strictObject({ value: ValueTextSchema.optional() });
export const NoteBodySchema = z.strictObject({ text: z.string().trim().min(1).max(20_000) });
export const EmptyBodySchema = z.strictObject({});

export const RunIdParamSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a run id');
export const StepIdParamSchema = StepIdSchema;
export const VariableParamSchema = VariableNameSchema;

/** Why the runner refused or failed a request; each code has one HTTP status (runner/http/error-handler.ts). */
export const ApiErrorCodeSchema = z.enum([
  /** The request is malformed: its body, a parameter, or a command that does not apply. */
  'BAD_REQUEST',
  /** No such run, runbook, step, variable, log or API route. */
  'NOT_FOUND',
  /** A step is running and must end (or be canceled) first. */
  'STEP_BUSY',
  /** The step changed since the page was loaded. */
  'STEP_HASH_MISMATCH',
  /** The step needs values the run does not know yet (listed in details.missing). */
  'MISSING_VALUES',
  /** A value the operator sent is refused (pattern, enum, NUL byte, unknown param). */
  'INVALID_VALUE',
  /** The run is completed, abandoned, or read-only after damage. */
  'RUN_ENDED',
  /** A dry run executes nothing. */
  'DRY_RUN',
  /** The capture has no such candidate to choose. */
  'NOT_A_CHOICE',
  /** A value cannot go where the script puts it (an option-like value, arithmetic). */
  'RENDER_REFUSED',
  /** The state dir refused a write (a full disk): nothing was recorded. */
  'STORAGE_FAILED',
  /** The step manifest cannot be read; the runner does not start. */
  'MANIFEST_INVALID',
  /** The Host header is not one of the runner's own names. */
  'FORBIDDEN_HOST',
  /** The request does not come from the runner's own page. */
  'FORBIDDEN_ORIGIN',
  /** The launch token is missing or wrong. */
  'UNAUTHORIZED',
  /** A mutation whose body is not application/json. */
  'UNSUPPORTED_MEDIA_TYPE',
  /** The body is larger than the runner accepts. */
  'PAYLOAD_TOO_LARGE',
  /** No such kube context, or it cannot be resolved (details.context). */
  'CONTEXT_INVALID',
  /** The pinned context now resolves to another server, CA or user (details.changes). */
  'TARGET_CHANGED',
  /** A destructive step on production needs the cluster's name typed (details.cluster). */
  'CONFIRMATION_REQUIRED',
  /** Training mode refuses a production context. */
  'PRODUCTION_REFUSED',
  /** A preflight item that concerns the step failed (details.items); fix it, or override it with a reason. */
  'PREFLIGHT_FAILED',
  /** A step that runs once per node has none to run on: its list is empty or its selector matched none. */
  'NO_NODES',
  /** A podSelector step matched no Running pod. */
  'NO_PODS',
  /** A podSelector step matched several Running pods: choose one (details.candidates) and run again. */
  'CHOOSE_POD',
  /** A config file of the operator's (environments.yaml) is invalid; the message names the file and line. */
  'CONFIG_INVALID',
  /** Anything else; the details are in the runner's log only. */
  'INTERNAL',
]);
export type ApiErrorCode = z.output<typeof ApiErrorCodeSchema>;

export const ApiErrorSchema = z.strictObject({
  /** What went wrong, stable for programs. */
  code: ApiErrorCodeSchema,
  /** What went wrong, for the operator; never holds a secret value. */
  message: z.string(),
  /** Structured facts about the failure, e.g. the missing values. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.output<typeof ApiErrorSchema>;

/** Failures the page notices itself: an answer without a code (ERROR), a refused event stream, no run yet, no answer at all. */
export const PageErrorCodeSchema = z.enum(['ERROR', 'STREAM', 'NO_RUN', 'UNREACHABLE']);
export type PageErrorCode = z.output<typeof PageErrorCodeSchema>;
