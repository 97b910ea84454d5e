import { z } from 'zod';
import { EXPORT_SCHEMA_VERSION, ExportRecordSchema } from './export-record.ts';

export const RECORD_SCHEMA_ID = `urn:drillbook:export-record:v${EXPORT_SCHEMA_VERSION}`;

// The JSON export's shape as a JSON Schema, for tools that read records without this code;
// generated from the zod schema, committed as protocol/export-record.schema.json.
export function generateRecordJsonSchema(): string {
  const schema = z.toJSONSchema(ExportRecordSchema, { target: 'draft-2020-12', io: 'output' });
  return `${JSON.stringify({ ...schema, $id: RECORD_SCHEMA_ID, title: `Drillbook incident record, schema version ${EXPORT_SCHEMA_VERSION}` }, null, 2)}\n`;
}
