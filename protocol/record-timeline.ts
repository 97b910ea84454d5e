import { z } from 'zod';
import { RunEventSchema } from './run-events.ts';

/** The journal's event types that a timeline shows: all but raw output chunks and process ids. */
export const TimelineEventTypeSchema = z.enum(
  RunEventSchema.options
    .map((option) => option.shape.type.value)
    .filter((type) => type !== 'output' && type !== 'step-spawned') as [string, ...string[]],
);

// One entry of an incident timeline. Its fields map one to one onto AWS Incident Manager timeline
// events (eventId, eventTime, eventType, eventData) and PagerDuty log entries (id, created_at,
// type, agent, channel); the README has the table.
export const TimelineEventSchema = z.strictObject({
  /** `RUN_ID:SEQ`: stable, unique across runs. */
  id: z.string(),
  /** When it happened (ISO 8601, UTC). */
  time: z.iso.datetime(),
  /** The journal event's type, e.g. step-finished, check-result, value-overridden. */
  type: TimelineEventTypeSchema,
  /** "operator:NAME" for what the operator did, "runner" for what the runner observed. */
  actor: z.string(),
  /** The step it concerns, if any. */
  step: z.string().nullable(),
  /** The event's details (secrets masked), durations in milliseconds. */
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.output<typeof TimelineEventSchema>;
