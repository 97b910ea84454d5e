import { ApiStatusError } from '../errors.ts';
import type { RequestScope } from '../objects/request-scope.ts';
import type { ResourceRegistry } from '../resources/resource-registry.ts';

export type RequestTarget =
  | { kind: 'non-resource'; path: string }
  | { kind: 'group-list' | 'core-versions' }
  | { kind: 'group'; group: string }
  | { kind: 'resource-list'; group: string; version: string }
  | { kind: 'resource'; scope: RequestScope; group: string; version: string; plural: string };

const SUBRESOURCES = new Set([
  'status',
  'scale',
  'finalize',
  'log',
  'exec',
  'attach',
  'portforward',
  'proxy',
  'eviction',
  'binding',
]);

// Reads what a path names, as kube-apiserver's request-info resolver does:
// /api/v1/namespaces/NS/pods/NAME/status, /apis/GROUP/VERSION/RESOURCE, discovery, and the rest.
export function resolveTarget(pathname: string, registry: ResourceRegistry): RequestTarget {
  const parts = pathname.split('/').filter(Boolean).map(decodeSegment);
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'core-versions' };
    return resourceTarget('', parts[1] as string, parts.slice(2), registry, pathname);
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'group-list' };
    if (parts.length === 2) return { kind: 'group', group: parts[1] as string };
    return resourceTarget(parts[1] as string, parts[2] as string, parts.slice(3), registry, pathname);
  }
  return { kind: 'non-resource', path: pathname };
}

function resourceTarget(
  group: string,
  version: string,
  rest: string[],
  registry: ResourceRegistry,
  pathname: string,
): RequestTarget {
  if (rest.length === 0) return { kind: 'resource-list', group, version };
  let namespace: string | undefined;
  let parts = rest;
  // namespaces/NS/RESOURCE...: a namespaced resource, unless NS's next segment is a namespace subresource.
  if (
    parts[0] === 'namespaces' &&
    parts.length >= 3 &&
    !(group === '' && SUBRESOURCES.has(parts[2] as string) && parts.length === 3)
  ) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [plural, name, subresource, ...extra] = parts as [string, string?, string?, ...string[]];
  const type = registry.find(group, version, plural);
  if (!type || extra.length > 0)
    throw new ApiStatusError('NotFound', 'the server could not find the requested resource', undefined);
  if (namespace !== undefined && !type.namespaced)
    throw new ApiStatusError('NotFound', 'the server could not find the requested resource');
  if (subresource !== undefined && !SUBRESOURCES.has(subresource)) {
    throw new ApiStatusError('NotFound', `the server could not find the requested resource (${pathname})`);
  }
  return { kind: 'resource', group, version, plural, scope: { type, namespace, name, subresource } };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiStatusError('BadRequest', `invalid path segment "${segment}"`);
  }
}
