import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { EXEC_CHANNELS } from '../../kubelet/server/exec-stream.ts';
import { failureStatus } from '../errors.ts';
import type { KubeletTarget } from '../kubelet/kubelet-connection.ts';

/** The channel protocols kubectl offers for exec and cp; v5 adds the close-stdin signal. */
const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const CLOSE = 255;

const sockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => CHANNEL_PROTOCOLS.find((protocol) => offered.has(protocol)) ?? false,
});

export function offersChannelProtocol(request: IncomingMessage): boolean {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((item) => item.trim());
  return CHANNEL_PROTOCOLS.some((protocol) => offered.includes(protocol));
}

// pods/exec (kubectl exec, kubectl cp): the WebSocket channel protocol on the client's side, the
// kubelet's framed exec stream on the other. stdin goes on channel 0 and ends with the v5 close
// signal; stdout, stderr and the final Status come back on channels 1, 2 and 3. A client that goes
// away ends the command.
export function bridgeExec(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: KubeletTarget,
  query: URLSearchParams,
): void {
  sockets.handleUpgrade(request, socket, head, (client) => runExec(client, target, query));
}

function runExec(client: WebSocket, target: KubeletTarget, query: URLSearchParams): void {
  const withStdin = query.get('stdin') === 'true' || query.get('stdin') === '1';
  const params = new URLSearchParams(query.getAll('command').map((arg) => ['command', arg]));
  if (withStdin) params.set('input', '1');
  const url = `${target.url}/exec/${target.namespace}/${target.pod}/${target.container}?${params}`;
  let finished = false;
  const finish = (status: object) => {
    if (finished) return;
    finished = true;
    if (client.readyState === client.OPEN) {
      client.send(Buffer.concat([Buffer.from([EXEC_CHANNELS.status]), Buffer.from(JSON.stringify(status))]));
      client.close(1000);
    }
  };
  const upstream = https.request(url, { ...target.tls, method: 'POST', agent: false }, (answer) => {
    if (answer.statusCode !== 200) {
      finish(failureStatus('InternalError', `the kubelet answered ${answer.statusCode} to exec`, 500));
      answer.resume();
      return;
    }
    let pending = Buffer.alloc(0);
    answer.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const length = pending.readUInt32BE(1);
        if (pending.length < 5 + length) break;
        const channel = pending.readUInt8(0);
        const payload = pending.subarray(5, 5 + length);
        pending = pending.subarray(5 + length);
        if (channel === EXEC_CHANNELS.status) finish(JSON.parse(payload.toString('utf8')) as object);
        else if (client.readyState === client.OPEN) client.send(Buffer.concat([Buffer.from([channel]), payload]));
      }
    });
    answer.on('end', () => finish(failureStatus('InternalError', 'the exec stream ended without a status', 500)));
  });
  upstream.on('error', (error) =>
    finish(failureStatus('InternalError', `the kubelet could not be reached: ${error.message}`, 500)),
  );
  // With stdin the request body stays open; its headers must go now, or the command only starts
  // once the client types something.
  if (withStdin) upstream.flushHeaders();
  else upstream.end();
  client.on('message', (data: Buffer) => {
    if (data.length === 0) return;
    if (data[0] === STDIN && withStdin) upstream.write(data.subarray(1));
    if (data[0] === CLOSE && data[1] === STDIN && withStdin) upstream.end();
  });
  client.on('close', () => {
    if (!finished) upstream.destroy();
  });
}
