import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { authenticate } from '../auth/authenticate.ts';
import { describeDenial } from '../auth/rbac-rules.ts';
import { ApiStatusError, failureStatus } from '../errors.ts';
import type { ApiContext } from '../handlers/api-context.ts';
import { bridgeExec, offersChannelProtocol } from '../handlers/pod-exec.ts';
import { findKubeletTarget } from '../kubelet/kubelet-connection.ts';
import { resolveTarget } from './request-target.ts';

// Upgraded connections: pods/exec over WebSocket (kubectl exec and cp). SPDY, and port-forward,
// which kubectl tunnels through SPDY, are refused with a Status saying so.
export async function handleUpgrade(
  context: ApiContext,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'https://practice.invalid');
  const user = authenticate(request);
  const target = resolveTarget(url.pathname, context.registry);
  if (target.kind !== 'resource' || target.plural !== 'pods' || target.group !== '' || !target.scope.name) {
    throw new ApiStatusError('NotFound', 'the server could not find the requested resource');
  }
  const { scope } = target;
  const name = scope.name as string;
  if (scope.subresource !== 'exec') {
    throw new ApiStatusError(
      'BadRequest',
      `the practice cluster does not serve pods/${scope.subresource ?? ''} over an upgraded connection`,
    );
  }
  const attributes = {
    verb: 'create',
    apiGroup: '',
    resource: 'pods',
    subresource: 'exec',
    namespace: scope.namespace,
    name,
  };
  if (!(await context.authorizer.allows(user, attributes))) {
    throw new ApiStatusError('Forbidden', describeDenial(user.username, attributes), { name, kind: 'pods' });
  }
  const kubelet = await findKubeletTarget(
    context.objects,
    context.kubeletTls,
    scope.namespace as string,
    name,
    url.searchParams.get('container'),
  );
  if (String(request.headers.upgrade ?? '').toLowerCase() !== 'websocket' || !offersChannelProtocol(request)) {
    throw new ApiStatusError(
      'BadRequest',
      'pods/exec needs a WebSocket with the v5.channel.k8s.io or v4.channel.k8s.io protocol (SPDY is not served)',
    );
  }
  bridgeExec(request, socket, head, kubelet, url.searchParams);
}

// An upgrade that fails is answered as an ordinary HTTP error with a Status body, which kubectl prints.
export function refuseUpgrade(socket: Duplex, error: unknown, log: (message: string, error?: unknown) => void): void {
  const status =
    error instanceof ApiStatusError ? error.toStatus() : failureStatus('InternalError', 'Internal error occurred', 500);
  if (!(error instanceof ApiStatusError)) log('an upgraded request failed', error);
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${status.reason ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
