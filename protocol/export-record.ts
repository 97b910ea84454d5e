import { z } from 'zod';
import { RunEventRecordSchema } from './run-events.ts';
import { RunViewSchema } from './run-view.ts';

export const EXPORT_SCHEMA_VERSION = 1;

// The JSON export of a run: an incident record that stands on its own.
export const ExportRecordSchema = z.strictObject({
  /** The version of this shape; it changes when a field changes meaning. */
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  /** When the record was exported. */
  exportedAt: z.iso.datetime(),
  /** The run's state when it was exported. */
  run: RunViewSchema,
  /** Every event as journaled (already masked), in order. */
  events: z.array(RunEventRecordSchema),
});
export type ExportRecord = z.output<typeof ExportRecordSchema>;
