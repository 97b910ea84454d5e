import { isDeepStrictEqual } from 'node:util';
import { keyOf, listKeys } from './list-keys.ts';

type Json = Record<string, unknown>;

/** A field path in managedFields' own notation: ["f:spec", "k:{\"name\":\"app\"}", "f:image"]. */
export type FieldPath = string[];

const IGNORED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

// Every leaf field an object sets, as field paths (list items by their key, atomic lists whole).
export function fieldsOf(object: Json, options: { includeStatus: boolean }): FieldPath[] {
  const paths: FieldPath[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'status' && !options.includeStatus) continue;
    if (key === 'metadata') {
      const metadata = Object.fromEntries(
        Object.entries(value as Json).filter(([name]) => !IGNORED_METADATA.has(name)),
      );
      walk(metadata, ['f:metadata'], paths);
      continue;
    }
    walkValue(key, value, [], paths);
  }
  return paths;
}

function walk(object: Json, prefix: FieldPath, paths: FieldPath[]): void {
  for (const [key, value] of Object.entries(object)) walkValue(key, value, prefix, paths);
}

function walkValue(key: string, value: unknown, prefix: FieldPath, paths: FieldPath[]): void {
  const path = [...prefix, `f:${key}`];
  if (Array.isArray(value)) {
    const keys = listKeys(key, value);
    if (!keys) {
      paths.push(path);
      return;
    }
    for (const item of value as Json[]) {
      const itemPath = [...path, `k:${JSON.stringify(keyOf(item, keys))}`];
      paths.push([...itemPath, '.']);
      walk(item, itemPath, paths);
    }
    return;
  }
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    walk(value as Json, path, paths);
    return;
  }
  paths.push(path);
}

// The value at a field path, or undefined.
export function valueAt(object: unknown, path: FieldPath): unknown {
  let current: unknown = object;
  for (const element of path) {
    if (element === '.') return current;
    if (current === null || typeof current !== 'object') return undefined;
    if (element.startsWith('f:')) current = (current as Json)[element.slice(2)];
    else if (element.startsWith('k:')) {
      const key = JSON.parse(element.slice(2)) as Json;
      current = (current as Json[]).find?.((item) =>
        Object.entries(key).every(([name, value]) => isDeepStrictEqual(keyOf(item, [name])[name], value)),
      );
    }
  }
  return current;
}

export const pathText = (path: FieldPath) => JSON.stringify(path);

export function toFieldsV1(paths: FieldPath[]): Json {
  const root: Json = {};
  for (const path of paths) {
    let node = root;
    for (const element of path) {
      node[element] ??= {};
      node = node[element] as Json;
    }
  }
  return root;
}

export function fromFieldsV1(fields: Json, prefix: FieldPath = []): FieldPath[] {
  const paths: FieldPath[] = [];
  for (const [element, child] of Object.entries(fields)) {
    const path = [...prefix, element];
    const children = child as Json;
    if (element === '.' || Object.keys(children).length === 0) paths.push(path);
    else paths.push(...fromFieldsV1(children, path));
  }
  return paths;
}

// ".spec.replicas" or ".spec.containers[name=\"app\"].image", as kube words a conflict.
export function describePath(path: FieldPath): string {
  return path
    .filter((element) => element !== '.')
    .map((element) => {
      if (element.startsWith('f:')) return `.${element.slice(2)}`;
      const key = JSON.parse(element.slice(2)) as Json;
      return `[${Object.entries(key)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(',')}]`;
    })
    .join('');
}
