import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ManagedFieldsEntry } from '../resources/resource-type.ts';
import { type FieldPath, fieldsOf, fromFieldsV1, pathText, toFieldsV1, valueAt } from './field-set.ts';

// Records who last set which fields through a create, update or patch (operation "Update"):
// the manager takes the fields whose value it changed, and no one keeps fields that are gone.
export function recordUpdateManager(
  next: KubeObject,
  previous: KubeObject | undefined,
  manager: string,
  apiVersion: string,
  time: string,
  subresource?: string,
): void {
  const includeStatus = subresource === 'status';
  const nextFields = fieldsOf(next, { includeStatus });
  const changed = previous
    ? nextFields.filter((path) => !isDeepStrictEqual(valueAt(previous, path), valueAt(next, path)))
    : nextFields;
  const present = new Set(fieldsOf(next, { includeStatus: true }).map(pathText));
  const changedSet = new Set(changed.map(pathText));
  const entries = (previous?.metadata.managedFields ?? next.metadata.managedFields ?? []).map((entry) => ({
    entry,
    paths: fromFieldsV1(entry.fieldsV1).filter(
      (path) => present.has(pathText(path)) && !changedSet.has(pathText(path)),
    ),
  }));
  const mine = entries.find(
    ({ entry }) =>
      entry.manager === manager && entry.operation === 'Update' && (entry.subresource ?? '') === (subresource ?? ''),
  );
  const minePaths = [...(mine?.paths ?? []), ...changed];
  const kept: ManagedFieldsEntry[] = entries
    .filter((item) => item !== mine && item.paths.length > 0)
    .map(({ entry, paths }) => ({ ...entry, fieldsV1: toFieldsV1(paths) }));
  if (minePaths.length > 0) {
    kept.push({
      manager,
      operation: 'Update',
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(minePaths),
      ...(subresource ? { subresource } : {}),
    });
  }
  next.metadata.managedFields = kept;
}

export function ownedPaths(entry: ManagedFieldsEntry): FieldPath[] {
  return fromFieldsV1(entry.fieldsV1);
}
