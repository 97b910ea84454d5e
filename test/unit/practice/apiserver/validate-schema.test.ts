import { describe, expect, it } from 'vitest';
import { validateObjectSchema } from '../../../../practice/apiserver/objects/validate-schema.ts';
import type { JsonSchema } from '../../../../practice/apiserver/openapi/json-schema.ts';
import type { KubeObject } from '../../../../practice/apiserver/resources/resource-type.ts';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 },
        color: { type: 'string', default: 'red' },
      },
    },
  },
};

const widget = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w' },
  spec,
});

describe("a CRD's structural schema", () => {
  it('accepts values inside the bounds and fills in defaults', () => {
    const object = widget({ size: 3, name: 'ab', tags: ['x'] });
    expect(validateObjectSchema(schema, object)).toEqual([]);
    expect(object.spec).toMatchObject({ color: 'red' });
  });

  it('words each bound as kube-apiserver does', () => {
    const causes = validateObjectSchema(schema, widget({ size: 0, name: 'ABCDEF', tags: ['a', 'b', 'c'] }));
    expect(causes.map((cause) => `${cause.field}: ${cause.message}`)).toEqual([
      'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
      'spec.name: Too long: may not be more than 5 bytes',
      `spec.name: Invalid value: "ABCDEF": spec.name in body should match '^[a-z]+$'`,
      'spec.tags: Too many: 3: must have at most 2 items',
    ]);
    expect(
      validateObjectSchema(schema, widget({ size: 11, name: 'a', tags: [] })).map((cause) => cause.message),
    ).toEqual([
      'Invalid value: 11: spec.size in body should be less than or equal to 10',
      'Invalid value: "a": spec.name in body should be at least 2 chars long',
      'Invalid value: []: spec.tags in body should have at least 1 items',
    ]);
  });
});
