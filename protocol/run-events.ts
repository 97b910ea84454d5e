import { z } from 'zod';
import { KubeTargetSchema } from './kube-target.ts';
import { OutputStreamSchema, StepIdSchema } from './patterns.ts';
import { PreflightItemSchema } from './preflight.ts';
import { StepTargetSchema } from './step.ts';
import { VariableNameSchema } from './variables.ts';

export const RunModeSchema = z.enum(['live', 'dry-run', 'training']);
export type RunMode = z.output<typeof RunModeSchema>;

export const RunStatusSchema = z.enum(['active', 'completed', 'abandoned']);
export type RunStatus = z.output<typeof RunStatusSchema>;

/** How an operator ends a run. */
export const RunEndStatusSchema = RunStatusSchema.exclude(['active']);
export type RunEndStatus = z.output<typeof RunEndStatusSchema>;

/** Which runbook a run follows, as it was when the run was created. */
export const RunbookRefSchema = z.strictObject({
  /** The runbook's slug: its file name and page address. */
  slug: z.string(),
  /** Its title. */
  title: z.string(),
  /** sha256 of its source, so a record says which version was followed. */
  contentHash: z.string(),
});
export type RunbookRef = z.output<typeof RunbookRefSchema>;

export const StepOutcomeSchema = z.enum(['succeeded', 'failed', 'timed-out', 'canceled', 'interrupted']);
export type StepOutcome = z.output<typeof StepOutcomeSchema>;

/** A value as it may be recorded: secrets carry no value, only the fact that one was known. */
export const RecordedValueSchema = z.discriminatedUnion('secret', [
  z.strictObject({ secret: z.literal(false), value: z.string() }),
  z.strictObject({ secret: z.literal(true) }),
]);
export type RecordedValue = z.output<typeof RecordedValueSchema>;

// Every state change of a run, in the order it happened. One union for the journal on disk, the
// event stream to the browser and the exports.
export const RunEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('run-created'),
    runbook: RunbookRefSchema,
    mode: RunModeSchema,
    operator: z.string(),
    params: z.record(z.string(), RecordedValueSchema),
    workdir: z.string(),
    /** The cluster the run is pinned to; null when it is pinned to none (its steps reach no cluster). */
    target: KubeTargetSchema.nullable().default(null),
  }),
  z.strictObject({
    type: z.literal('step-started'),
    stepId: StepIdSchema,
    stepHash: z.string(),
    attempt: z.int().positive(),
    script: z.string(),
    references: z.array(VariableNameSchema),
    /** Set in the step's environment before the spawn, so a crash between spawn and the next record cannot hide it. */
    processMarker: z.string(),
    /** Where it runs, with its values filled in (the pod, the node); null in journals from before targets. */
    target: StepTargetSchema.nullable().default(null),
  }),
  /** A step that runs once per node begins on the next one; the output until the next event is its. */
  z.strictObject({
    type: z.literal('node-started'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    node: z.string(),
    index: z.int().positive(),
    total: z.int().positive(),
  }),
  z.strictObject({
    type: z.literal('node-finished'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    node: z.string(),
    outcome: StepOutcomeSchema,
    exitCode: z.int().nullable(),
    durationMs: z.int().nonnegative(),
    message: z.string().nullable(),
  }),
  z.strictObject({ type: z.literal('step-spawned'), stepId: StepIdSchema, attempt: z.int().positive(), pgid: z.int() }),
  z.strictObject({
    type: z.literal('output'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    stream: OutputStreamSchema,
    text: z.string(),
  }),
  z.strictObject({
    type: z.literal('output-truncated'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    shownBytes: z.int().nonnegative(),
    logFile: z.string(),
    /** The end of the output, masked, so the operator sees how it ended. */
    tail: z.string(),
  }),
  z.strictObject({
    type: z.literal('captured'),
    stepId: StepIdSchema,
    name: VariableNameSchema,
    value: RecordedValueSchema,
  }),
  z.strictObject({
    type: z.literal('capture-candidates'),
    stepId: StepIdSchema,
    name: VariableNameSchema,
    secret: z.boolean(),
    /** Masked when secret. */
    candidates: z.array(z.string()),
  }),
  z.strictObject({
    type: z.literal('capture-failed'),
    stepId: StepIdSchema,
    name: VariableNameSchema,
    message: z.string(),
  }),
  z.strictObject({
    type: z.literal('check-result'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    label: z.string(),
    passed: z.boolean(),
    detail: z.string(),
    /** The node whose output was checked, in a step that runs once per node. */
    node: z.string().nullable().default(null),
  }),
  z.strictObject({
    type: z.literal('wait-retry'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    poll: z.int().positive(),
  }),
  z.strictObject({
    type: z.literal('step-finished'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    outcome: StepOutcomeSchema,
    exitCode: z.int().nullable(),
    signal: z.string().nullable(),
    durationMs: z.int().nonnegative(),
    timedOut: z.boolean(),
    canceled: z.boolean(),
    message: z.string().nullable(),
  }),
  /** How many of the pods a step waits for are Ready, each time that changes. */
  z.strictObject({
    type: z.literal('pods-progress'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    selector: z.string(),
    namespace: z.string(),
    ready: z.int().nonnegative(),
    total: z.int().nonnegative(),
    expected: z.int().positive().nullable(),
  }),
  z.strictObject({ type: z.literal('preflight-checked'), item: PreflightItemSchema }),
  z.strictObject({ type: z.literal('preflight-overridden'), itemId: z.string(), reason: z.string() }),
  z.strictObject({ type: z.literal('step-skipped'), stepId: StepIdSchema, reason: z.string() }),
  z.strictObject({
    type: z.literal('value-overridden'),
    name: VariableNameSchema,
    value: RecordedValueSchema,
    reason: z.string(),
  }),
  z.strictObject({ type: z.literal('candidate-chosen'), name: VariableNameSchema, value: RecordedValueSchema }),
  z.strictObject({
    type: z.literal('manual-acknowledged'),
    stepId: StepIdSchema,
    value: z.strictObject({ name: VariableNameSchema, recorded: RecordedValueSchema }).nullable(),
  }),
  z.strictObject({ type: z.literal('note-added'), text: z.string() }),
  /** Training mode: the trainee was shown a failed check's hint (by its label) before a re-run. */
  z.strictObject({
    type: z.literal('hint-shown'),
    stepId: StepIdSchema,
    attempt: z.int().positive(),
    label: z.string(),
  }),
  /** Something the operator must know that is not a failure, e.g. a secret too short to mask. */
  z.strictObject({
    type: z.literal('warning'),
    stepId: StepIdSchema.nullable(),
    name: VariableNameSchema.nullable(),
    message: z.string(),
  }),
  z.strictObject({ type: z.literal('run-ended'), status: RunEndStatusSchema }),
]);
export type RunEvent = z.output<typeof RunEventSchema>;
export type RunEventType = RunEvent['type'];

export const RunEventRecordSchema = z.strictObject({
  seq: z.int().positive(),
  at: z.iso.datetime(),
  runId: z.string(),
  event: RunEventSchema,
});
export type RunEventRecord = z.output<typeof RunEventRecordSchema>;
