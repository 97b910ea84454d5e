import { listKeys, sameKey } from './list-keys.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// Kubernetes' strategic merge patch for the built-in kinds: like a merge patch, except that lists
// of keyed items (containers, ports, env, volumes…) merge item by item, `$patch: delete` removes
// an item, `$patch: replace` replaces a map or list, and `$retainKeys` / `$setElementOrder` are honoured.
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _replace, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  const result: Json = isObject(target) ? { ...target } : {};
  const retain = patch.$retainKeys as string[] | undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (
      key === '$retainKeys' ||
      key === '$patch' ||
      key.startsWith('$setElementOrder/') ||
      key.startsWith('$deleteFromPrimitiveList/')
    )
      continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    result[key] = Array.isArray(value)
      ? mergeList(key, result[key], value)
      : applyStrategicMergePatch(result[key], value);
    if (result[key] === undefined) delete result[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const list = key.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(result[list]))
        result[list] = (result[list] as unknown[]).filter((item) => !(value as unknown[]).includes(item));
    }
  }
  if (retain) for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  return result;
}

function mergeList(fieldName: string, current: unknown, patch: unknown[]): unknown {
  const keys = listKeys(fieldName, [...patch, ...(Array.isArray(current) ? current : [])]);
  const replaceAll = patch.some((item) => isObject(item) && item.$patch === 'replace');
  if (!keys || !Array.isArray(current) || replaceAll) {
    return patch.filter((item) => !(isObject(item) && item.$patch !== undefined && Object.keys(item).length === 1));
  }
  const result = [...(current as Json[])];
  for (const item of patch as Json[]) {
    const index = result.findIndex((existing) => sameKey(existing, item, keys));
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = applyStrategicMergePatch(result[index], item) as Json;
    else result.push(applyStrategicMergePatch({}, item) as Json);
  }
  return result;
}
