import { z } from 'zod';
import { KubeTargetSchema } from './kube-target.ts';
import { TimelineEventSchema } from './record-timeline.ts';
import {
  RunbookRefSchema,
  RunEventRecordSchema,
  RunModeSchema,
  RunStatusSchema,
  StepOutcomeSchema,
} from './run-events.ts';
import { CheckResultSchema, StepStatusSchema, ValueSourceSchema } from './run-view.ts';
import { StepKindSchema } from './step.ts';
import { TraineeReportSchema } from './training.ts';

export const EXPORT_SCHEMA_VERSION = 2;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'sha256, 64 hex digits');

/** A file of the run's folder or logs, by name, size and content hash. */
export const FileDigestSchema = z.strictObject({
  /** Relative to the run's working folder (artifacts) or log folder (logs). */
  name: z.string(),
  size: z.int().nonnegative(),
  sha256: Sha256Schema,
});
export type FileDigest = z.output<typeof FileDigestSchema>;

/** One journal line: the event as journaled and its link in the hash chain. */
export const ChainedEventSchema = z.strictObject({
  /** sha256(previous hash, "\n", the event's JSON text); the first links to the genesis hash. */
  hash: Sha256Schema,
  record: RunEventRecordSchema,
});
export type ChainedEvent = z.output<typeof ChainedEventSchema>;

export const RecordChainSchema = z.strictObject({
  algorithm: z.literal('sha256'),
  genesis: Sha256Schema,
  /** The last event's hash: it vouches for every event before it. */
  head: Sha256Schema,
  length: z.int().nonnegative(),
});
export type RecordChain = z.output<typeof RecordChainSchema>;

export const RecordSummarySchema = z.strictObject({
  runId: z.string(),
  runbook: RunbookRefSchema,
  /** The cluster the run was pinned to; null when none. */
  cluster: KubeTargetSchema.nullable(),
  operator: z.string(),
  mode: RunModeSchema,
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  /** active (still open when exported), completed or abandoned. */
  outcome: RunStatusSchema,
  /** From start to end, or to the last event while the run is open. */
  durationMs: z.int().nonnegative(),
});
export type RecordSummary = z.output<typeof RecordSummarySchema>;

/** One attempt at a step, as the journal tells it. */
export const RecordAttemptSchema = z.strictObject({
  step: z.string(),
  attempt: z.int().positive(),
  stepHash: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  durationMs: z.int().nonnegative().nullable(),
  outcome: StepOutcomeSchema.nullable(),
  exitCode: z.int().nullable(),
  /** The command with the values known when it started (secrets masked). */
  command: z.string(),
  /** The first lines of the output as journaled (masked), capped. */
  excerpt: z.string(),
  /** Whether the excerpt leaves out part of the output. */
  excerptCut: z.boolean(),
  /** The end of an output cut short in the journal; the full log is named in `log`. */
  tail: z.string().nullable(),
  /** The full log's file name, when the output was cut short. */
  log: z.string().nullable(),
  checks: z.array(CheckResultSchema),
});
export type RecordAttempt = z.output<typeof RecordAttemptSchema>;

export const RecordValueSchema = z.strictObject({
  name: z.string(),
  secret: z.boolean(),
  /** Absent when secret. */
  value: z.string().optional(),
  source: ValueSourceSchema,
  /** The step it was captured or acknowledged at, if any. */
  step: z.string().nullable(),
  at: z.iso.datetime(),
});
export type RecordValue = z.output<typeof RecordValueSchema>;

/** A runbook step as the record lists it (from the runbook version the run followed). */
export const RecordStepSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  kind: StepKindSchema,
  hash: z.string(),
  status: StepStatusSchema,
});
export type RecordStep = z.output<typeof RecordStepSchema>;

// The JSON export of a run: an incident record that stands on its own. `summary`, `timeline`,
// `attempts`, `values` and `chain` follow from `events` alone; `drill verify` recomputes them.
export const ExportRecordSchema = z.strictObject({
  /** The version of this shape; it changes when a field changes meaning. */
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  /** When the record was exported. */
  exportedAt: z.iso.datetime(),
  summary: RecordSummarySchema,
  steps: z.array(RecordStepSchema),
  attempts: z.array(RecordAttemptSchema),
  values: z.array(RecordValueSchema),
  timeline: z.array(TimelineEventSchema),
  /** Files left in the run's working folder, e.g. etcd-snapshot.db. */
  artifacts: z.array(FileDigestSchema),
  /** The full output logs (the record holds capped excerpts). */
  logs: z.array(FileDigestSchema),
  chain: RecordChainSchema,
  /** A training run's trainee report, from the events and the steps above; null for other modes. */
  trainee: TraineeReportSchema.nullable().default(null),
  /** Every event as journaled (already masked), in order, with its hash. */
  events: z.array(ChainedEventSchema),
});
export type ExportRecord = z.output<typeof ExportRecordSchema>;
