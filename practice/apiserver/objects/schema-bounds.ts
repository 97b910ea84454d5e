import type { StatusCause } from '../errors.ts';
import type { JsonSchema } from '../openapi/json-schema.ts';

// The value constraints of a CRD's schema (bounds, lengths, patterns, item counts), worded as
// kube-apiserver words their failures.
export function checkBounds(schema: JsonSchema, value: unknown, path: string): StatusCause[] {
  const shown = JSON.stringify(value);
  const invalid = (detail: string): StatusCause => ({
    field: path,
    message: `Invalid value: ${shown}: ${path} in body ${detail}`,
    reason: 'FieldValueInvalid',
  });
  const causes: StatusCause[] = [];
  if (typeof value === 'number') {
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema as Record<string, unknown>;
    if (typeof minimum === 'number' && (exclusiveMinimum === true ? value <= minimum : value < minimum))
      causes.push(invalid(`should be greater than ${exclusiveMinimum === true ? '' : 'or equal to '}${minimum}`));
    if (typeof maximum === 'number' && (exclusiveMaximum === true ? value >= maximum : value > maximum))
      causes.push(invalid(`should be less than ${exclusiveMaximum === true ? '' : 'or equal to '}${maximum}`));
  }
  if (typeof value === 'string') {
    const { minLength, maxLength, pattern } = schema as Record<string, unknown>;
    if (typeof minLength === 'number' && value.length < minLength)
      causes.push(invalid(`should be at least ${minLength} chars long`));
    if (typeof maxLength === 'number' && value.length > maxLength)
      causes.push({
        field: path,
        message: `Too long: may not be more than ${maxLength} bytes`,
        reason: 'FieldValueTooLong',
      });
    if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value))
      causes.push(invalid(`should match '${pattern}'`));
  }
  if (Array.isArray(value)) {
    const { minItems, maxItems } = schema as Record<string, unknown>;
    if (typeof minItems === 'number' && value.length < minItems)
      causes.push(invalid(`should have at least ${minItems} items`));
    if (typeof maxItems === 'number' && value.length > maxItems)
      causes.push({
        field: path,
        message: `Too many: ${value.length}: must have at most ${maxItems} items`,
        reason: 'FieldValueTooMany',
      });
  }
  return causes;
}

// Structural defaulting: a field the object leaves out takes its schema's default.
export function applySchemaDefaults(schema: JsonSchema, value: Record<string, unknown>): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (value[key] === undefined && child.default !== undefined) value[key] = structuredClone(child.default);
  }
}
