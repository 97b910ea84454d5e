import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ApiStatusError } from '../errors.ts';
import { sendJson } from '../http/respond.ts';
import type { JsonSchema } from '../openapi/json-schema.ts';
import { collectModelSchemas } from '../openapi/model-schemas.ts';
import type { ResourceRegistry } from '../resources/resource-registry.ts';
import type { ResourceType } from '../resources/resource-type.ts';

const cache = new Map<string, { hash: string; document: unknown }>();

// OpenAPI v3, as kube-apiserver serves it: an index of group versions, then one document per
// group version with a schema per kind tagged with x-kubernetes-group-version-kind.
export function serveOpenApi(registry: ResourceRegistry, path: string, response: ServerResponse): void {
  const groupVersions = groupVersionPaths(registry);
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    sendJson(response, 200, {
      paths: Object.fromEntries(
        [...groupVersions].map(([key, types]) => [
          key,
          { serverRelativeURL: `/openapi/v3/${key}?hash=${documentFor(key, types).hash}` },
        ]),
      ),
    });
    return;
  }
  const key = path.replace(/^\/openapi\/v3\//, '');
  const types = groupVersions.get(key);
  if (!types) throw new ApiStatusError('NotFound', 'the server could not find the requested resource');
  sendJson(response, 200, documentFor(key, types).document);
}

function groupVersionPaths(registry: ResourceRegistry): Map<string, ResourceType[]> {
  const paths = new Map<string, ResourceType[]>();
  for (const type of registry.all()) {
    const key = type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`;
    paths.set(key, [...(paths.get(key) ?? []), type]);
  }
  return paths;
}

function documentFor(key: string, types: ResourceType[]): { hash: string; document: unknown } {
  const signature = JSON.stringify(types.map((type) => [type.kind, type.schema ?? null]));
  const cached = cache.get(key);
  const hash = createHash('sha512').update(signature).digest('hex').slice(0, 128).toUpperCase();
  if (cached?.hash === hash) return cached;
  const modelSchemas = collectModelSchemas(types.flatMap((type) => (type.schema ? [] : [type.model as string])));
  const schemas: Record<string, JsonSchema> = { ...modelSchemas };
  for (const type of types) {
    const name = type.schema ? `${type.group}.${type.version}.${type.kind}` : (type.model as string);
    const base = type.schema ? customSchema(type.schema) : (schemas[name] ?? { type: 'object' });
    schemas[name] = {
      ...base,
      'x-kubernetes-group-version-kind': [{ group: type.group, version: type.version, kind: type.kind }],
    };
  }
  const document = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: Object.fromEntries(types.map((type) => [objectPath(type), pathItem(type)])),
    components: { schemas },
  };
  const entry = { hash, document };
  cache.set(key, entry);
  return entry;
}

function objectPath(type: ResourceType): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return `${base}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.plural}/{name}`;
}

// kubectl looks for the fieldValidation parameter on a kind's PATCH to know that the server
// validates fields itself (kubectl apply --validate=strict).
function pathItem(type: ResourceType) {
  const gvk = { group: type.group, version: type.version, kind: type.kind };
  const fieldValidation = { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } };
  const operation = (action: string) => ({
    operationId: `${action}${type.kind}`,
    parameters: [fieldValidation],
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  return { get: operation('get'), put: operation('put'), patch: operation('patch'), parameters: [fieldValidation] };
}

function customSchema(schema: JsonSchema): JsonSchema {
  return {
    ...schema,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...schema.properties,
    },
  };
}
