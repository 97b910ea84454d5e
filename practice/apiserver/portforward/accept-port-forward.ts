import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { ApiStatusError } from '../errors.ts';
import { type ForwardedPod, servePortForward } from './port-forward.ts';
import { SpdySession } from './spdy-session.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** kubectl ≥ 1.31 tunnels SPDY through a WebSocket with this subprotocol (KEP-4006). */
export const TUNNELED_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

/** Stands in for TUNNELED_PROTOCOL while `ws` parses the handshake (see below). */
const TOKEN_STAND_IN = 'drillbook-spdy-tunnel';

// `ws` only accepts RFC 7230 tokens as subprotocols and the '/' in SPDY/3.1 is not one, so the
// offer is renamed before `ws` reads it and the real name is what the handshake answers.
const tunnels = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => (offered.has(TOKEN_STAND_IN) ? TUNNELED_PROTOCOL : false),
});

function listHeader(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).split(',').map((item) => item.trim());
}

// pods/portforward after authorization: a WebSocket offering SPDY/3.1+portforward.k8s.io (every
// WebSocket message carries SPDY bytes), or an `Upgrade: SPDY/3.1` with the
// X-Stream-Protocol-Version portforward.k8s.io, which kubectl falls back to when the WebSocket is
// refused. Anything else is refused with a Status before the switch.
export function acceptPortForward(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pod: ForwardedPod,
  log: (message: string, error?: unknown) => void,
): void {
  const upgrade = String(request.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    if (!listHeader(request.headers['sec-websocket-protocol']).includes(TUNNELED_PROTOCOL)) {
      throw new ApiStatusError(
        'BadRequest',
        `pods/portforward over a WebSocket needs the ${TUNNELED_PROTOCOL} protocol (SPDY tunnelled in WebSocket)`,
      );
    }
    request.headers['sec-websocket-protocol'] = TOKEN_STAND_IN;
    tunnels.handleUpgrade(request, socket, head, (client) => {
      const transport = createWebSocketStream(client);
      servePortForward(new SpdySession(transport, log), pod);
    });
    return;
  }
  if (upgrade !== 'spdy/3.1') {
    throw new ApiStatusError('BadRequest', 'pods/portforward needs an upgrade to SPDY/3.1 or a WebSocket');
  }
  if (!listHeader(request.headers['x-stream-protocol-version']).includes(PORT_FORWARD_PROTOCOL)) {
    throw new ApiStatusError(
      'Forbidden',
      `unable to upgrade: no common protocol: server supports ${PORT_FORWARD_PROTOCOL}`,
    );
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
  );
  const session = new SpdySession(socket, log);
  servePortForward(session, pod);
  if (head.length > 0) socket.emit('data', head);
}
