import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateRecordJsonSchema } from '../../../protocol/export-record-json-schema.ts';

describe('protocol/export-record.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (node bin/write-record-schema.ts)', async () => {
    const committed = await readFile(new URL('../../../protocol/export-record.schema.json', import.meta.url), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(generateRecordJsonSchema()));
  });

  it('describes the versioned record with its timeline events', () => {
    const schema = JSON.parse(generateRecordJsonSchema()) as {
      properties: { schemaVersion: { const: number }; timeline: { items: { required: string[] } } };
    };
    expect(schema.properties.schemaVersion.const).toBe(2);
    expect(schema.properties.timeline.items.required).toEqual(['id', 'time', 'type', 'actor', 'step', 'data']);
  });
});
