import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { authenticate } from '../auth/authenticate.ts';
import { describeDenial } from '../auth/rbac-rules.ts';
import { ApiStatusError, failureStatus } from '../errors.ts';
import type { ApiContext } from '../handlers/api-context.ts';
import { bridgeExec, offersChannelProtocol } from '../handlers/pod-exec.ts';
import { findKubeletTarget } from '../kubelet/kubelet-connection.ts';
import { acceptPortForward } from '../portforward/accept-port-forward.ts';
import type { ForwardedPod } from '../portforward/port-forward.ts';
import type { ResourceType } from '../resources/resource-type.ts';
import { field } from '../table/columns.ts';
import { resolveTarget } from './request-target.ts';

// Upgraded connections: pods/exec over WebSocket (kubectl exec and cp) and pods/portforward over
// SPDY/3.1, tunnelled in a WebSocket or upgraded to directly. Exec over SPDY is refused with a Status.
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
  const subresource = scope.subresource ?? '';
  if (subresource !== 'exec' && subresource !== 'portforward') {
    throw new ApiStatusError(
      'BadRequest',
      `the practice cluster does not serve pods/${subresource} over an upgraded connection`,
    );
  }
  const attributes = { verb: 'create', apiGroup: '', resource: 'pods', subresource, namespace: scope.namespace, name };
  if (!(await context.authorizer.allows(user, attributes))) {
    throw new ApiStatusError('Forbidden', describeDenial(user.username, attributes), { name, kind: 'pods' });
  }
  if (subresource === 'portforward') {
    const pod = await findForwardedPod(context, scope.namespace as string, name);
    acceptPortForward(request, socket, head, pod, context.log);
    return;
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

// Where a port-forward goes: the pod's own address (pod addresses are reachable loopback addresses
// on this machine, so no kubelet is in between).
async function findForwardedPod(context: ApiContext, namespace: string, name: string): Promise<ForwardedPod> {
  const pods = context.registry.find('', 'v1', 'pods') as ResourceType;
  const pod = await context.objects.get({ type: pods, namespace, name });
  const address = field(pod, 'status.podIP');
  if (field(pod, 'status.phase') !== 'Running' || typeof address !== 'string' || address === '') {
    throw new ApiStatusError('BadRequest', `pod ${name} is not running, so its ports cannot be forwarded`);
  }
  return { namespace, name, uid: String(pod.metadata.uid ?? ''), address };
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
