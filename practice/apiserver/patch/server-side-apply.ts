import { isDeepStrictEqual } from 'node:util';
import { ApiStatusError, type StatusCause } from '../errors.ts';
import type { KubeObject, ManagedFieldsEntry } from '../resources/resource-type.ts';
import { describePath, type FieldPath, fieldsOf, fromFieldsV1, pathText, toFieldsV1, valueAt } from './field-set.ts';
import { keyOf, listKeys, sameKey } from './list-keys.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export interface ApplyRequest {
  manager: string;
  force: boolean;
  apiVersion: string;
  time: string;
}

// Server-side apply: merges an applied configuration into the live object, refuses to take a
// field another manager set to a different value (unless forced), removes the fields this manager
// applied before and applies no more, and records the manager's fields in managedFields.
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, request: ApplyRequest): KubeObject {
  const appliedPaths = fieldsOf(applied, { includeStatus: false });
  const entries = live?.metadata.managedFields ?? [];
  const isMine = (entry: ManagedFieldsEntry) => entry.manager === request.manager && entry.operation === 'Apply';
  const others = entries
    .filter((entry) => !isMine(entry))
    .map((entry) => ({ entry, paths: fromFieldsV1(entry.fieldsV1) }));
  const conflicts: { manager: string; apiVersion: string; path: FieldPath }[] = [];
  if (live) {
    for (const path of appliedPaths) {
      if (path[path.length - 1] === '.') continue;
      if (isDeepStrictEqual(valueAt(live, path), valueAt(applied, path))) continue;
      for (const { entry, paths } of others) {
        if (paths.some((owned) => pathText(owned) === pathText(path)))
          conflicts.push({ manager: entry.manager, apiVersion: entry.apiVersion, path });
      }
    }
  }
  if (conflicts.length > 0 && !request.force) throw conflictError(conflicts);
  const merged = (live ? mergeApplied(structuredClone(live), applied) : structuredClone(applied)) as KubeObject;
  const appliedSet = new Set(appliedPaths.map(pathText));
  const ownedByOthers = new Set(others.flatMap(({ paths }) => paths.map(pathText)));
  const previous = entries.find(isMine);
  for (const path of previous ? fromFieldsV1(previous.fieldsV1) : []) {
    if (!appliedSet.has(pathText(path)) && !ownedByOthers.has(pathText(path))) removePath(merged, path);
  }
  const taken = new Set(request.force ? conflicts.map((conflict) => pathText(conflict.path)) : []);
  const managed: ManagedFieldsEntry[] = others
    .map(({ entry, paths }) => ({ entry, paths: paths.filter((path) => !taken.has(pathText(path))) }))
    .filter(({ paths }) => paths.length > 0)
    .map(({ entry, paths }) => ({ ...entry, fieldsV1: toFieldsV1(paths) }));
  managed.push({
    manager: request.manager,
    operation: 'Apply',
    apiVersion: request.apiVersion,
    time: request.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedPaths),
  });
  merged.metadata = { ...merged.metadata, managedFields: managed };
  return merged;
}

function conflictError(conflicts: { manager: string; apiVersion: string; path: FieldPath }[]): ApiStatusError {
  const causes: StatusCause[] = conflicts.map((conflict) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with "${conflict.manager}" using ${conflict.apiVersion}`,
    field: describePath(conflict.path),
  }));
  const lines = causes.map((cause) => `- ${cause.message}: ${cause.field}`).join('\n');
  const count = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
  return new ApiStatusError('Conflict', `Apply failed with ${count}:\n${lines}`, { causes });
}

function mergeApplied(live: unknown, applied: unknown, fieldName = ''): unknown {
  if (Array.isArray(applied)) {
    const keys = listKeys(fieldName, applied);
    if (!keys || !Array.isArray(live)) return structuredClone(applied);
    const result = [...(live as Json[])];
    for (const item of applied as Json[]) {
      const index = result.findIndex((existing) => sameKey(existing, item, keys));
      if (index >= 0) result[index] = mergeApplied(result[index], item) as Json;
      else result.push(structuredClone(item));
    }
    return result;
  }
  if (!isObject(applied)) return applied;
  const result: Json = isObject(live) ? live : {};
  for (const [key, value] of Object.entries(applied)) result[key] = mergeApplied(result[key], value, key);
  return result;
}

function removePath(object: unknown, path: FieldPath): void {
  const elements = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  const last = elements[elements.length - 1];
  if (!last) return;
  const parent = valueAt(object, elements.slice(0, -1));
  if (last.startsWith('f:') && isObject(parent)) delete parent[last.slice(2)];
  if (last.startsWith('k:') && Array.isArray(parent)) {
    const key = JSON.parse(last.slice(2)) as Json;
    const index = parent.findIndex((item: Json) => isDeepStrictEqual(keyOf(item, Object.keys(key)), key));
    if (index >= 0) parent.splice(index, 1);
  }
}
