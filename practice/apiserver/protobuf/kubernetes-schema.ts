import { readdirSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';

const SCHEMA_DIR = path.join(import.meta.dirname, 'schema');
export const META_PACKAGE = 'drillbook.kubernetes.meta.v1';

const root = new protobuf.Root();
root.loadSync(
  readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith('.proto'))
    .map((name) => path.join(SCHEMA_DIR, name)),
);
root.resolveAll();

const kinds = new Map<string, protobuf.Type>();
for (const type of collectTypes(root)) {
  if (type.options?.['(kind)'] !== true) continue;
  kinds.set(`${apiVersionOf(type)}/${type.name}`, type);
}

// The message a client sends for apiVersion/kind, or undefined when the schema does not declare it.
// DeleteOptions is registered in every group version, so it is accepted under any apiVersion.
export function lookupKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  return kinds.get(`${apiVersion}/${kind}`) ?? (kind === 'DeleteOptions' ? metaType('DeleteOptions') : undefined);
}

// The kinds the schema declares, as apiVersion/Kind, for error messages and tests.
export function declaredKinds(): string[] {
  return [...kinds.keys()].sort();
}

export function metaType(name: string): protobuf.Type {
  return root.lookupType(`${META_PACKAGE}.${name}`);
}

function apiVersionOf(type: protobuf.Type): string {
  const version = type.parent?.name ?? '';
  let namespace: protobuf.ReflectionObject | null = type.parent;
  while (namespace && namespace.options?.['(api_group)'] === undefined) namespace = namespace.parent;
  const group = String(namespace?.options?.['(api_group)'] ?? '');
  return group === '' ? version : `${group}/${version}`;
}

function* collectTypes(namespace: protobuf.NamespaceBase): Generator<protobuf.Type> {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) yield nested;
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) yield* collectTypes(nested);
  }
}
