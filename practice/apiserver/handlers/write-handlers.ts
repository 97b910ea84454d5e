import { ApiStatusError, badRequest, successStatus } from '../errors.ts';
import { readObjectBody } from '../http/read-body.ts';
import { sendJson } from '../http/respond.ts';
import type { DeleteOptions, DeletePropagation } from '../objects/request-scope.ts';
import type { KubeObject } from '../resources/resource-type.ts';
import { type ApiContext, fieldManagerOf, isDryRun, type ResourceRequest } from './api-context.ts';
import { validateFields } from './field-validation.ts';
import { objectFilter } from './read-handlers.ts';

export async function createObject(context: ApiContext, call: ResourceRequest): Promise<void> {
  const body = (await readObjectBody(call.request)) as KubeObject;
  validateFields(call.scope.type, body, call.query, call.response);
  const created = await context.objects.create(call.scope, body, writeOptions(call));
  sendJson(call.response, 201, created);
}

export async function replaceObject(context: ApiContext, call: ResourceRequest): Promise<void> {
  const body = (await readObjectBody(call.request)) as KubeObject;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the body of the request was in an unknown format');
  const updated = await context.objects.update(call.scope, body, writeOptions(call));
  sendJson(call.response, 200, updated);
}

export async function deleteObject(context: ApiContext, call: ResourceRequest): Promise<void> {
  const options = await readDeleteOptions(call);
  const { object, gone } = await context.objects.delete(call.scope, options);
  if (!gone) {
    sendJson(call.response, 200, object);
    return;
  }
  sendJson(
    call.response,
    200,
    successStatus({
      name: object.metadata.name as string,
      group: call.scope.type.group,
      kind: call.scope.type.plural,
      uid: object.metadata.uid as string,
    }),
  );
}

export async function deleteCollection(context: ApiContext, call: ResourceRequest): Promise<void> {
  const options = await readDeleteOptions(call);
  const { items, revision } = await context.objects.list(call.scope);
  const matches = objectFilter(call);
  const deleted: KubeObject[] = [];
  for (const item of items.filter(matches)) {
    try {
      deleted.push(
        (
          await context.objects.delete(
            { ...call.scope, namespace: item.metadata.namespace, name: item.metadata.name },
            options,
          )
        ).object,
      );
    } catch (error) {
      if (!(error instanceof ApiStatusError && error.reason === 'NotFound')) throw error;
    }
  }
  sendJson(call.response, 200, {
    apiVersion: call.scope.type.group ? `${call.scope.type.group}/${call.scope.type.version}` : 'v1',
    kind: `${call.scope.type.kind}List`,
    metadata: { resourceVersion: String(revision) },
    items: deleted,
  });
}

export function writeOptions(call: ResourceRequest) {
  return { dryRun: isDryRun(call.query), fieldManager: fieldManagerOf(call.request, call.query) };
}

// DeleteOptions come as query parameters (kubectl) or as a body, JSON or protobuf (client-go).
async function readDeleteOptions(call: ResourceRequest): Promise<DeleteOptions> {
  const hasBody =
    Number(call.request.headers['content-length'] ?? 0) > 0 || call.request.headers['transfer-encoding'] !== undefined;
  const body = (hasBody ? await readObjectBody(call.request) : {}) as {
    propagationPolicy?: string;
    orphanDependents?: boolean;
    preconditions?: { uid?: string; resourceVersion?: string };
    dryRun?: string[];
  } | null;
  const policy =
    call.query.get('propagationPolicy') ?? body?.propagationPolicy ?? (body?.orphanDependents ? 'Orphan' : undefined);
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw new ApiStatusError(
      'Invalid',
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  return {
    dryRun: isDryRun(call.query) || (body?.dryRun ?? []).includes('All'),
    ...(policy ? { propagationPolicy: policy as DeletePropagation } : {}),
    ...(body?.preconditions ? { preconditions: body.preconditions } : {}),
  };
}
