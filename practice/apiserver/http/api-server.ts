import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { authenticate } from '../auth/authenticate.ts';
import { describeDenial } from '../auth/rbac-rules.ts';
import { ApiStatusError } from '../errors.ts';
import { reviewSelfAccess } from '../handlers/access-review.ts';
import type { ApiContext } from '../handlers/api-context.ts';
import { serveDiscovery } from '../handlers/discovery.ts';
import { serveOpenApi } from '../handlers/openapi.ts';
import { serveOpenApiV2 } from '../handlers/openapi-v2.ts';
import { routeResource } from '../handlers/resource-router.ts';
import { resolveTarget } from './request-target.ts';
import { sendError, sendJson, sendText } from './respond.ts';
import { handleUpgrade, refuseUpgrade } from './upgrade.ts';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile: string;
}

export const KUBERNETES_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.3-drillbook',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-01T00:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const SELF_ACCESS_REVIEW = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

// The HTTPS server: client certificates are asked for and verified against the cluster CA, each
// request is authenticated, authorized by RBAC and routed; every failure is a Status.
export function createApiServer(
  context: ApiContext,
  tls: TlsFiles,
  hooks: { afterWrite: (plural: string) => Promise<void>; ready: () => boolean },
) {
  const server = https.createServer(
    {
      cert: readFileSync(tls.certFile),
      key: readFileSync(tls.keyFile),
      ca: readFileSync(tls.clientCaFile),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (request, response) => {
      handle(context, request, response, hooks).catch((error: unknown) => sendError(response, error, context.log));
    },
  );
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    handleUpgrade(context, request, socket, head).catch((error: unknown) => refuseUpgrade(socket, error, context.log));
  });
  return server;
}

async function handle(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  hooks: { afterWrite: (plural: string) => Promise<void>; ready: () => boolean },
): Promise<void> {
  const url = new URL(request.url ?? '/', 'https://practice.invalid');
  const path = url.pathname;
  const user = authenticate(request);
  const method = request.method ?? 'GET';
  const isReview = path === SELF_ACCESS_REVIEW && method === 'POST';
  const target = isReview ? ({ kind: 'non-resource', path } as const) : resolveTarget(path, context.registry);
  if (target.kind !== 'resource') {
    const attributes = isReview
      ? { verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }
      : { verb: method.toLowerCase() === 'get' ? 'get' : method.toLowerCase(), apiGroup: '', resource: '', path };
    if (!(await context.authorizer.allows(user, attributes))) {
      throw new ApiStatusError('Forbidden', describeDenial(user.username, attributes));
    }
    if (isReview) {
      await reviewSelfAccess(context, request, response, user);
      return;
    }
    if (method !== 'GET')
      throw new ApiStatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    serveNonResource(context, target, path, request, response, hooks.ready());
    return;
  }
  await routeResource(context, request, response, target.scope, url.searchParams, user);
  if (method !== 'GET') await hooks.afterWrite(target.plural);
}

function serveNonResource(
  context: ApiContext,
  target: ReturnType<typeof resolveTarget>,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
  ready: boolean,
): void {
  if (target.kind !== 'non-resource') {
    serveDiscovery(context.registry, target as { kind: string }, request, response, context.serverAddress);
    return;
  }
  if (path === '/version' || path === '/version/') sendJson(response, 200, KUBERNETES_VERSION);
  else if (['/readyz', '/livez', '/healthz'].includes(path))
    sendText(response, ready ? 200 : 503, ready ? 'ok' : 'etcd is not reachable');
  else if (path.startsWith('/openapi/v3')) serveOpenApi(context.registry, path, response);
  else if (path === '/openapi/v2') serveOpenApiV2(request, response);
  else throw new ApiStatusError('NotFound', 'the server could not find the requested resource');
}
