import { responseShape } from '../http/negotiate.ts';
import { sendJson } from '../http/respond.ts';
import { parseFieldSelector } from '../query/field-selector.ts';
import { parseLabelSelector } from '../query/label-selector.ts';
import { apiVersionOf, type KubeObject } from '../resources/resource-type.ts';
import { type IncludeObject, toPartialMetadata, toTable } from '../table/to-table.ts';
import type { ApiContext, ResourceRequest } from './api-context.ts';

export async function getObject(context: ApiContext, call: ResourceRequest): Promise<void> {
  const object = await context.objects.get(call.scope);
  sendObjects(call, [object], object.metadata.resourceVersion ?? '', false);
}

export async function listObjects(context: ApiContext, call: ResourceRequest): Promise<void> {
  const { items, revision } = await context.objects.list(call.scope);
  const matches = objectFilter(call);
  sendObjects(call, items.filter(matches), String(revision), true);
}

export function objectFilter(call: ResourceRequest): (object: KubeObject) => boolean {
  const labels = parseLabelSelector(call.query.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(call.query.get('fieldSelector') ?? undefined, call.scope.type);
  return (object) => labels(object.metadata.labels) && fields(object);
}

// Answers with a Table, metadata only, an object or a list, as the Accept header asks.
function sendObjects(call: ResourceRequest, objects: KubeObject[], resourceVersion: string, list: boolean): void {
  const { type } = call.scope;
  const shape = responseShape(call.request.headers.accept);
  if (shape === 'table') {
    const include = (call.query.get('includeObject') as IncludeObject | null) ?? 'Metadata';
    sendJson(call.response, 200, toTable(type, objects, { resourceVersion, include, headers: true }));
    return;
  }
  if (shape === 'partial-metadata') {
    if (!list) sendJson(call.response, 200, toPartialMetadata(objects[0] as KubeObject));
    else
      sendJson(call.response, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion },
        items: objects.map(toPartialMetadata),
      });
    return;
  }
  if (!list) {
    sendJson(call.response, 200, objects[0]);
    return;
  }
  sendJson(call.response, 200, {
    apiVersion: apiVersionOf(type),
    kind: `${type.kind}List`,
    metadata: { resourceVersion },
    items: objects,
  });
}
