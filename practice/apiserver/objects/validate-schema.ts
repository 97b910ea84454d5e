import type { StatusCause } from '../errors.ts';
import type { JsonSchema } from '../openapi/json-schema.ts';
import type { KubeObject } from '../resources/resource-type.ts';
import { applySchemaDefaults, checkBounds } from './schema-bounds.ts';

const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

// Checks a custom resource against its CRD's structural schema, as kube-apiserver does: types,
// required fields and enums are enforced; fields the schema does not know are pruned.
export function validateObjectSchema(schema: JsonSchema, object: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const properties = schema.properties ?? {};
  applySchemaDefaults(schema, object);
  for (const key of Object.keys(object)) {
    if (ROOT_FIELDS.has(key)) continue;
    const child = properties[key];
    if (!child) {
      if (!schema['x-kubernetes-preserve-unknown-fields']) delete object[key];
      continue;
    }
    check(child, object[key], key, causes, (value) => {
      object[key] = value;
    });
  }
  for (const name of schema.required ?? []) {
    if (!ROOT_FIELDS.has(name) && object[name] === undefined)
      causes.push({ field: name, message: 'Required value', reason: 'FieldValueRequired' });
  }
  return causes;
}

function check(
  schema: JsonSchema,
  value: unknown,
  path: string,
  causes: StatusCause[],
  replace: (value: unknown) => void,
): void {
  if (value === undefined) return;
  if (value === null) {
    if (!schema.nullable)
      causes.push({
        field: path,
        message: `Invalid value: "null": ${path} in body must be of type ${schema.type ?? 'object'}`,
        reason: 'FieldValueTypeInvalid',
      });
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value))
      typeError(schema, value, path, causes, 'integer or string');
    return;
  }
  switch (schema.type) {
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) {
        typeError(schema, value, path, causes, 'object');
        return;
      }
      checkObject(schema, value as Record<string, unknown>, path, causes);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        typeError(schema, value, path, causes, 'array');
        return;
      }
      causes.push(...checkBounds(schema, value, path));
      for (const [index, item] of value.entries()) {
        if (schema.items) {
          check(schema.items, item, `${path}[${index}]`, causes, (next) => {
            value[index] = next;
          });
        }
      }
      return;
    case 'string':
      if (typeof value !== 'string') {
        typeError(schema, value, path, causes, 'string');
        return;
      }
      break;
    case 'integer':
      if (!Number.isInteger(value)) {
        typeError(schema, value, path, causes, 'integer');
        return;
      }
      break;
    case 'number':
      if (typeof value !== 'number') {
        typeError(schema, value, path, causes, 'number');
        return;
      }
      break;
    case 'boolean':
      if (typeof value !== 'boolean') {
        typeError(schema, value, path, causes, 'boolean');
        return;
      }
      break;
    default:
      return;
  }
  causes.push(...checkBounds(schema, value, path));
  if (schema.enum && !schema.enum.includes(value)) {
    causes.push({
      field: path,
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((item) => JSON.stringify(item)).join(', ')}`,
      reason: 'FieldValueNotSupported',
    });
  }
  replace(value);
}

function checkObject(schema: JsonSchema, value: Record<string, unknown>, path: string, causes: StatusCause[]): void {
  applySchemaDefaults(schema, value);
  const properties = schema.properties;
  for (const key of Object.keys(value)) {
    const child =
      properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (child)
      check(child, value[key], `${path}.${key}`, causes, (next) => {
        value[key] = next;
      });
    else if (properties && !schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true)
      delete value[key];
  }
  for (const name of schema.required ?? []) {
    if (value[name] === undefined)
      causes.push({ field: `${path}.${name}`, message: 'Required value', reason: 'FieldValueRequired' });
  }
}

function typeError(schema: JsonSchema, value: unknown, path: string, causes: StatusCause[], expected: string): void {
  const shown =
    typeof value === 'object'
      ? Array.isArray(value)
        ? '"array"'
        : '"object"'
      : `"${typeof value === 'string' ? 'string' : typeof value}"`;
  causes.push({
    field: path,
    message: `Invalid value: ${shown}: ${path} in body must be of type ${schema.type === undefined ? expected : expected}: ${shown}`,
    reason: 'FieldValueTypeInvalid',
  });
}
