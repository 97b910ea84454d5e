import net from 'node:net';
import { RESET_STATUS } from './spdy-frames.ts';
import type { SpdySession, SpdyStream } from './spdy-session.ts';

export interface ForwardedPod {
  namespace: string;
  name: string;
  uid: string;
  /** The pod's address; a pod's ports are reachable on it from this machine. */
  address: string;
}

interface StreamPair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** How long the second stream of a pair may take, as the kubelet's stream creation timeout. */
const PAIR_TIMEOUT_MS = 30_000;

// The portforward.k8s.io protocol (kubelet's pkg/kubelet/cri/streaming/portforward/httpstream.go):
// for each local connection the client opens an error stream and a data stream carrying the same
// `requestid` and the pod `port`. Once both are there, the data stream is joined to <pod>:<port>
// both ways; a failed dial is reported as text on the error stream; both streams end with a FIN.
export function servePortForward(session: SpdySession, pod: ForwardedPod): void {
  const pairs = new Map<string, StreamPair>();
  session.on('stream', (stream) => {
    const problem = checkHeaders(stream.headers);
    if (problem) {
      stream.reset(RESET_STATUS.refusedStream);
      return;
    }
    stream.reply();
    const requestId = stream.headers.requestid ?? pairIdOfOldClient(stream);
    let pair = pairs.get(requestId);
    if (!pair) {
      const timer = setTimeout(() => {
        const waiting = pairs.get(requestId);
        pairs.delete(requestId);
        waiting?.error?.end(`(request=${requestId}) timed out waiting for streams`);
        waiting?.data?.end();
      }, PAIR_TIMEOUT_MS);
      pair = { timer };
      pairs.set(requestId, pair);
    }
    const kind = stream.headers.streamtype === 'data' ? 'data' : 'error';
    if (pair[kind]) {
      stream.end(`error processing stream for request ${requestId}: ${kind} stream already assigned`);
      return;
    }
    pair[kind] = stream;
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      pairs.delete(requestId);
      forward(pod, Number(stream.headers.port), pair.data, pair.error);
    }
  });
  session.on('close', () => {
    for (const pair of pairs.values()) clearTimeout(pair.timer);
    pairs.clear();
  });
}

function checkHeaders(headers: Record<string, string>): string | undefined {
  const port = Number(headers.port);
  if (!headers.port || !Number.isInteger(port) || port < 1 || port > 65535) return `invalid port "${headers.port}"`;
  if (headers.streamtype !== 'data' && headers.streamtype !== 'error') {
    return `invalid stream type "${headers.streamtype}"`;
  }
  return undefined;
}

// Clients older than 1.4 sent no requestid: their error and data streams are consecutive odd ids.
function pairIdOfOldClient(stream: SpdyStream): string {
  return String(stream.headers.streamtype === 'data' ? stream.id - 2 : stream.id);
}

function forward(pod: ForwardedPod, port: number, data: SpdyStream, error: SpdyStream): void {
  const socket = net.connect({ host: pod.address, port });
  let connected = false;
  const finish = () => {
    if (!data.writableEnded) data.end();
    if (!error.writableEnded) error.end();
  };
  socket.once('connect', () => {
    connected = true;
    data.pipe(socket);
    socket.pipe(data);
  });
  socket.on('error', (cause: NodeJS.ErrnoException) => {
    if (!connected) {
      const message =
        `error forwarding port ${port} to pod ${pod.namespace}/${pod.name}, uid ${pod.uid}: ` +
        `dial tcp ${pod.address}:${port}: connect: ${describeDialError(cause)}`;
      if (!error.writableEnded) error.end(message);
    }
    finish();
  });
  socket.on('close', finish);
  data.on('error', () => socket.destroy());
  data.on('close', () => socket.destroy());
}

function describeDialError(cause: NodeJS.ErrnoException): string {
  if (cause.code === 'ECONNREFUSED') return 'connection refused';
  if (cause.code === 'ETIMEDOUT') return 'connection timed out';
  return cause.message;
}
