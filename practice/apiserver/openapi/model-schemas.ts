import * as models from '@kubernetes/client-node';
import type { JsonSchema } from './json-schema.ts';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

type Model = { attributeTypeMap?: Attribute[] };
const MODELS = models as unknown as Record<string, Model | undefined>;
const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

// OpenAPI v3 schemas for the built-in kinds, generated from @kubernetes/client-node's models (the
// same generated types our objects are typed with), so kubectl can validate what it applies.
export function collectModelSchemas(roots: string[]): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (schemas[name]) continue;
    const attributes = MODELS[name]?.attributeTypeMap;
    if (!attributes) continue;
    schemas[name] = {
      type: 'object',
      properties: Object.fromEntries(
        attributes.map((attribute) => [attribute.baseName, schemaOf(attribute.type, attribute.format, pending)]),
      ),
    };
  }
  return schemas;
}

function schemaOf(type: string, format: string, pending: string[]): JsonSchema {
  const array = ARRAY.exec(type);
  if (array) return { type: 'array', items: schemaOf(array[1] as string, '', pending) };
  const map = MAP.exec(type);
  if (map) return { type: 'object', additionalProperties: schemaOf(map[1] as string, format, pending) };
  switch (type) {
    case 'string':
      return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
    case 'number':
      return format === 'double'
        ? { type: 'number', format: 'double' }
        : { type: 'integer', format: format || 'int64' };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true };
    case 'any':
    case 'object':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    default:
      if (!MODELS[type]?.attributeTypeMap) return { 'x-kubernetes-preserve-unknown-fields': true };
      pending.push(type);
      return { allOf: [{ $ref: `#/components/schemas/${type}` }] };
  }
}
