import { badRequest } from '../errors.ts';
import { readObjectBody, readRawBody } from '../http/read-body.ts';
import { sendJson } from '../http/respond.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import type { KubeObject } from '../resources/resource-type.ts';
import { field } from '../table/columns.ts';
import type { ApiContext, ResourceRequest } from './api-context.ts';
import { writeOptions } from './write-handlers.ts';

// The /scale subresource (kubectl scale): an autoscaling/v1 Scale view of spec.replicas.
export async function handleScale(context: ApiContext, call: ResourceRequest): Promise<void> {
  const scope = { ...call.scope, subresource: undefined };
  const method = call.request.method;
  if (method === 'GET') {
    sendJson(call.response, 200, toScale(await context.objects.get(scope)));
    return;
  }
  let replicas: unknown;
  if (method === 'PUT') {
    replicas = field(await readObjectBody(call.request), 'spec.replicas');
  } else {
    const patch = JSON.parse((await readRawBody(call.request)).toString('utf8') || '{}') as unknown;
    replicas = field(applyMergePatch(toScale(await context.objects.get(scope)), patch), 'spec.replicas');
  }
  if (!Number.isInteger(replicas) || (replicas as number) < 0)
    throw badRequest('spec.replicas: must be a non-negative integer');
  const updated = await context.objects.modify(
    scope,
    (current) => ({ ...current, spec: { ...(current.spec as object), replicas } }),
    writeOptions(call),
  );
  sendJson(call.response, 200, toScale(updated));
}

function toScale(object: KubeObject) {
  const selector = field(object, 'spec.selector.matchLabels') as Record<string, string> | undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: field(object, 'spec.replicas') ?? 0 },
    status: {
      replicas: field(object, 'status.replicas') ?? 0,
      selector: Object.entries(selector ?? {})
        .map(([key, value]) => `${key}=${value}`)
        .join(','),
    },
  };
}
