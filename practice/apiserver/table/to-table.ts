import type { KubeObject, ResourceType } from '../resources/resource-type.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

// Objects as the meta.k8s.io/v1 Table kubectl prints: the kind's columns, a row per object, and
// each row's object as metadata (or whole) so kubectl can show namespaces and labels.
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  options: { resourceVersion: string; include: IncludeObject; headers: boolean },
) {
  const columns = type.columns.length > 0 ? type.columns : [];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: options.resourceVersion },
    columnDefinitions: options.headers
      ? columns.map((column) => ({
          name: column.name,
          type: column.type,
          format: column.format ?? '',
          description: column.description,
          priority: column.priority,
        }))
      : [],
    rows: objects.map((object) => ({
      cells: columns.map((column) => column.value(object) ?? null),
      object: rowObject(object, options.include),
    })),
  };
}

function rowObject(object: KubeObject, include: IncludeObject) {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function toPartialMetadata(object: KubeObject) {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}
