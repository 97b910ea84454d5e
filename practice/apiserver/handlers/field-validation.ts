import type { ServerResponse } from 'node:http';
import { badRequest } from '../errors.ts';
import { findUnknownFields } from '../openapi/unknown-fields.ts';
import type { ResourceType } from '../resources/resource-type.ts';

// fieldValidation=Strict refuses unknown fields as kube-apiserver does; Warn (the default)
// answers with a Warning header for each; Ignore says nothing.
export function validateFields(
  type: ResourceType,
  body: unknown,
  query: URLSearchParams,
  response: ServerResponse,
): void {
  const mode = query.get('fieldValidation') ?? 'Warn';
  if (mode === 'Ignore') return;
  const unknown = findUnknownFields(type, body);
  if (unknown.length === 0) return;
  const problems = unknown.map((path) => `unknown field "${path}"`);
  if (mode === 'Strict') {
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${problems.join(', ')}`,
    );
  }
  response.setHeader(
    'Warning',
    problems.map((problem) => `299 - "${problem.replaceAll('"', '\\"')}"`),
  );
}
