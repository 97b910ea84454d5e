import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiStatusError } from '../errors.ts';
import { sendJson } from '../http/respond.ts';
import type { ResourceRegistry } from '../resources/resource-registry.ts';
import type { ResourceType } from '../resources/resource-type.ts';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const ACCESS_REVIEW = {
  group: 'authorization.k8s.io',
  version: 'v1',
  resource: 'selfsubjectaccessreviews',
  kind: 'SelfSubjectAccessReview',
};

// Discovery, legacy (/api, /apis, each group version) and aggregated (apidiscovery.k8s.io/v2),
// which kubectl prefers because it answers in one request.
export function serveDiscovery(
  registry: ResourceRegistry,
  target: { kind: string; group?: string; version?: string },
  request: IncomingMessage,
  response: ServerResponse,
  serverAddress: string,
): void {
  const aggregated =
    (request.headers.accept ?? '').includes('as=APIGroupDiscoveryList') &&
    (request.headers.accept ?? '').includes('v=v2');
  if (aggregated && (target.kind === 'core-versions' || target.kind === 'group-list')) {
    sendAggregated(response, aggregatedList(registry, target.kind === 'core-versions'));
    return;
  }
  switch (target.kind) {
    case 'core-versions':
      sendJson(response, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
      });
      return;
    case 'group-list':
      sendJson(response, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map(groupOf) });
      return;
    case 'group': {
      const group = registry.groups().find((item) => item.group === target.group);
      if (!group) throw new ApiStatusError('NotFound', 'the server could not find the requested resource');
      sendJson(response, 200, { kind: 'APIGroup', apiVersion: 'v1', ...groupOf(group) });
      return;
    }
    case 'resource-list': {
      const types = registry.inVersion(target.group as string, target.version as string);
      const isReview = target.group === ACCESS_REVIEW.group && target.version === ACCESS_REVIEW.version;
      if (types.length === 0 && !isReview)
        throw new ApiStatusError('NotFound', 'the server could not find the requested resource');
      sendJson(response, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: target.group ? `${target.group}/${target.version}` : target.version,
        resources: isReview
          ? [
              {
                name: ACCESS_REVIEW.resource,
                singularName: 'selfsubjectaccessreview',
                namespaced: false,
                kind: ACCESS_REVIEW.kind,
                verbs: ['create'],
              },
            ]
          : types.flatMap(legacyResources),
      });
      return;
    }
  }
}

function groupOf({ group, versions, preferred }: { group: string; versions: string[]; preferred: string }) {
  return {
    name: group,
    versions: versions.map((version) => ({ groupVersion: `${group}/${version}`, version })),
    preferredVersion: { groupVersion: `${group}/${preferred}`, version: preferred },
  };
}

function legacyResources(type: ResourceType) {
  const main = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
    ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length > 0 ? { categories: type.categories } : {}),
  };
  const subresources = [];
  if (type.subresources.status) {
    subresources.push({
      name: `${type.plural}/status`,
      singularName: '',
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (type.subresources.scale) {
    subresources.push({
      name: `${type.plural}/scale`,
      singularName: '',
      namespaced: type.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  return [main, ...subresources];
}

function aggregatedList(registry: ResourceRegistry, core: boolean) {
  const groups = core ? [{ group: '', versions: ['v1'] }] : registry.groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map(({ group, versions }) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: versions.map((version) => ({
        version,
        resources:
          group === ACCESS_REVIEW.group
            ? [
                {
                  resource: ACCESS_REVIEW.resource,
                  responseKind: { group, version, kind: ACCESS_REVIEW.kind },
                  scope: 'Cluster',
                  singularResource: 'selfsubjectaccessreview',
                  verbs: ['create'],
                },
              ]
            : registry.inVersion(group, version).map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}

function aggregatedResource(type: ResourceType) {
  const subresources = [];
  if (type.subresources.status) {
    subresources.push({
      subresource: 'status',
      responseKind: { group: type.group, version: type.version, kind: type.kind },
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (type.subresources.scale) {
    subresources.push({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
  }
  return {
    resource: type.plural,
    responseKind: { group: type.group, version: type.version, kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: type.verbs,
    ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length > 0 ? { categories: type.categories } : {}),
    ...(subresources.length > 0 ? { subresources } : {}),
  };
}

function sendAggregated(response: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': AGGREGATED, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
