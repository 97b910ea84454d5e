import { jsonpatch } from 'json-p3';
import { parse as parseYaml } from 'yaml';
import { ApiStatusError, badRequest, conflict, invalid } from '../errors.ts';
import { mediaTypeOf } from '../http/negotiate.ts';
import { readRawBody } from '../http/read-body.ts';
import { sendJson } from '../http/respond.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { serverSideApply } from '../patch/server-side-apply.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.ts';
import { apiVersionOf, type KubeObject } from '../resources/resource-type.ts';
import { type ApiContext, isDryRun, type ResourceRequest } from './api-context.ts';
import { validateFields } from './field-validation.ts';
import { writeOptions } from './write-handlers.ts';

const PATCH_TYPES = 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

type Patcher = (current: KubeObject) => KubeObject;

// PATCH in the four forms clients send: JSON patch, merge patch, strategic merge patch
// (built-in kinds only, as in Kubernetes) and server-side apply, which may also create.
export async function patchObject(context: ApiContext, call: ResourceRequest): Promise<void> {
  const mediaType = mediaTypeOf(call.request.headers['content-type']);
  const raw = (await readRawBody(call.request)).toString('utf8');
  const { type } = call.scope;
  if (mediaType === 'application/apply-patch+yaml' || mediaType === 'application/apply-patch+json') {
    await applyPatch(context, call, raw);
    return;
  }
  const patcher = patcherFor(mediaType, raw, Boolean(type.schema) || !isBuiltinGroup(type.group));
  if (mediaType !== 'application/json-patch+json' && call.scope.subresource === undefined) {
    validateFields(type, parseJson(raw), call.query, call.response);
  }
  const updated = await context.objects.modify(call.scope, patcher, writeOptions(call));
  sendJson(call.response, 200, updated);
}

function patcherFor(mediaType: string, raw: string, custom: boolean): Patcher {
  const parsed = parseJson(raw);
  const precondition = (current: KubeObject, patch: unknown) => {
    const wanted = (patch as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion) {
      throw conflict(current.kind.toLowerCase(), current.metadata.name as string);
    }
  };
  switch (mediaType) {
    case 'application/json-patch+json':
      if (!Array.isArray(parsed))
        throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      return (current) => {
        try {
          return jsonpatch.apply(parsed as never, current as never) as unknown as KubeObject;
        } catch (error) {
          throw new ApiStatusError(
            'Invalid',
            `the server rejected our request due to an error in our request: ${(error as Error).message}`,
          );
        }
      };
    case 'application/merge-patch+json':
      return (current) => {
        precondition(current, parsed);
        return applyMergePatch(current, parsed) as KubeObject;
      };
    case 'application/strategic-merge-patch+json':
      if (custom)
        throw new ApiStatusError(
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES}`,
        );
      return (current) => {
        precondition(current, parsed);
        return applyStrategicMergePatch(current, parsed) as KubeObject;
      };
    default:
      throw new ApiStatusError(
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES}, application/strategic-merge-patch+json`,
      );
  }
}

async function applyPatch(context: ApiContext, call: ResourceRequest, raw: string): Promise<void> {
  const { type } = call.scope;
  const manager = call.query.get('fieldManager');
  if (!manager)
    throw invalid(
      'PatchOptions',
      '',
      [{ field: 'fieldManager', message: 'Required value: is required for apply patch', reason: 'FieldValueRequired' }],
      'meta.k8s.io',
    );
  let applied: KubeObject;
  try {
    applied = parseYaml(raw) as KubeObject;
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
  if (!applied || typeof applied !== 'object' || !applied.apiVersion || !applied.kind) {
    throw badRequest('invalid object type: apiVersion and kind must be set');
  }
  validateFields(type, applied, call.query, call.response);
  if (applied.metadata?.name && applied.metadata.name !== call.scope.name) {
    throw badRequest(
      `the name of the object (${applied.metadata.name}) does not match the name on the URL (${call.scope.name})`,
    );
  }
  const request = {
    manager,
    force: call.query.get('force') === 'true',
    apiVersion: apiVersionOf(type),
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  const options = { dryRun: isDryRun(call.query), fieldManager: manager, managedFieldsSet: true };
  const existing = await context.objects.find(type, call.scope.namespace, call.scope.name as string);
  if (!existing) {
    const object = serverSideApply(
      undefined,
      { ...applied, metadata: { ...applied.metadata, name: call.scope.name as string } },
      request,
    );
    sendJson(call.response, 201, await context.objects.create(call.scope, object, options));
    return;
  }
  const updated = await context.objects.modify(
    call.scope,
    (current) => serverSideApply(current, applied, request),
    options,
  );
  sendJson(call.response, 200, updated);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw badRequest(`the body of the request could not be decoded: ${(error as Error).message}`);
  }
}

function isBuiltinGroup(group: string): boolean {
  return group === '' || group.endsWith('.k8s.io') || group === 'apps' || group === 'batch';
}
