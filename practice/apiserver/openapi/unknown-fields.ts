import type { ResourceType } from '../resources/resource-type.ts';
import type { JsonSchema } from './json-schema.ts';
import { collectModelSchemas } from './model-schemas.ts';

const schemasByModel = new Map<string, Record<string, JsonSchema>>();

// The fields of an object its kind's schema does not know, as "spec.foo" paths: what
// fieldValidation=Strict refuses and Warn reports.
export function findUnknownFields(type: ResourceType, object: unknown): string[] {
  const found: string[] = [];
  if (type.schema) {
    walk(
      {
        ...type.schema,
        properties: { ...type.schema.properties, apiVersion: {}, kind: {}, metadata: metadataSchema() },
      },
      object,
      '',
      {},
      found,
    );
    return found;
  }
  const model = type.model as string;
  let schemas = schemasByModel.get(model);
  if (!schemas) {
    schemas = collectModelSchemas([model]);
    schemasByModel.set(model, schemas);
  }
  walk(schemas[model] ?? {}, object, '', schemas, found);
  return found;
}

function metadataSchema(): JsonSchema {
  return collectModelSchemas(['V1ObjectMeta']).V1ObjectMeta ?? {};
}

function walk(
  schema: JsonSchema,
  value: unknown,
  path: string,
  schemas: Record<string, JsonSchema>,
  found: string[],
): void {
  const resolved = resolve(schema, schemas);
  if (resolved['x-kubernetes-preserve-unknown-fields'] || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (resolved.items)
      for (const [index, item] of value.entries()) walk(resolved.items, item, `${path}[${index}]`, schemas, found);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    const childPath = path ? `${path}.${key}` : key;
    const property = resolved.properties?.[key];
    if (property) walk(property, child, childPath, schemas, found);
    else if (typeof resolved.additionalProperties === 'object')
      walk(resolved.additionalProperties, child, childPath, schemas, found);
    else if (resolved.properties && resolved.additionalProperties !== true) found.push(childPath);
  }
}

function resolve(schema: JsonSchema, schemas: Record<string, JsonSchema>): JsonSchema {
  const reference = schema.allOf?.[0]?.$ref ?? schema.$ref;
  if (!reference) return schema;
  return schemas[reference.replace('#/components/schemas/', '')] ?? {};
}
