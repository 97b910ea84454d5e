import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeDenial } from '../auth/rbac-rules.ts';
import { ApiStatusError } from '../errors.ts';
import type { RequestScope, UserInfo } from '../objects/request-scope.ts';
import type { ApiContext, ResourceRequest } from './api-context.ts';
import { patchObject } from './patch-handler.ts';
import { streamPodLog } from './pod-log.ts';
import { getObject, listObjects } from './read-handlers.ts';
import { handleScale } from './scale-handler.ts';
import { watchObjects } from './watch-handler.ts';
import { createObject, deleteCollection, deleteObject, replaceObject } from './write-handlers.ts';

type Handler = (context: ApiContext, call: ResourceRequest) => Promise<void>;

const NOT_YET = new Set(['attach', 'portforward', 'proxy', 'eviction', 'binding']);

// One request on a kind: which verb it is, whether RBAC lets this user do it, and who handles it.
export async function routeResource(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  scope: RequestScope,
  query: URLSearchParams,
  user: UserInfo,
): Promise<void> {
  const verb = verbOf(request.method ?? 'GET', scope, query);
  const attributes = {
    verb,
    apiGroup: scope.type.group,
    resource: scope.type.plural,
    subresource: scope.subresource,
    namespace: scope.namespace,
    name: scope.name,
  };
  if (!(await context.authorizer.allows(user, attributes))) {
    throw new ApiStatusError('Forbidden', describeDenial(user.username, attributes), {
      ...(scope.name ? { name: scope.name } : {}),
      group: scope.type.group,
      kind: scope.type.plural,
    });
  }
  const call: ResourceRequest = { request, response, scope, query, user };
  await handlerFor(verb, scope)(context, call);
}

function verbOf(method: string, scope: RequestScope, query: URLSearchParams): string {
  const watching = query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
      if (watching) return 'watch';
      return scope.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return scope.name ? 'delete' : 'deletecollection';
    default:
      throw new ApiStatusError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }
}

function handlerFor(verb: string, scope: RequestScope): Handler {
  const sub = scope.subresource;
  if (sub && NOT_YET.has(sub)) {
    throw new ApiStatusError('NotFound', `the practice cluster does not serve ${scope.type.plural}/${sub} yet`);
  }
  if (scope.type.plural === 'pods' && scope.type.group === '' && sub === 'log') {
    if (verb !== 'get')
      throw new ApiStatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    return streamPodLog;
  }
  if (sub === 'exec') {
    throw new ApiStatusError(
      'BadRequest',
      'pods/exec needs a WebSocket upgrade with the v5.channel.k8s.io or v4.channel.k8s.io protocol',
    );
  }
  if (sub === 'scale') {
    if (!scope.type.subresources.scale)
      throw new ApiStatusError('NotFound', 'the server could not find the requested resource');
    return handleScale;
  }
  if (sub === 'status' && !scope.type.subresources.status) {
    throw new ApiStatusError('NotFound', 'the server could not find the requested resource');
  }
  if (scope.name === undefined && ['update', 'patch'].includes(verb)) {
    throw new ApiStatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  if (scope.name !== undefined && verb === 'create') {
    throw new ApiStatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  const handlers: Record<string, Handler> = {
    get: getObject,
    list: listObjects,
    watch: watchObjects,
    create: createObject,
    update: replaceObject,
    patch: patchObject,
    delete: deleteObject,
    deletecollection: deleteCollection,
  };
  return handlers[verb] as Handler;
}
