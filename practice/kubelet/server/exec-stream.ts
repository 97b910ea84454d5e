import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

// The exec endpoint's wire format, kept simple for the API server to translate into kubectl's
// WebSocket channels: the response body is a sequence of frames, each one byte of channel (1
// stdout, 2 stderr, 3 status, as in the v5 protocol), four bytes of big-endian length, then the
// payload. The last frame is on channel 3: a v1 Status, Success, or Failure with reason
// NonZeroExitCode and the exit code as the ExitCode cause, or InternalError when the command could
// not start. The request body, when ?input=1, is the command's stdin.
export const EXEC_CHANNELS = { stdout: 1, stderr: 2, status: 3 } as const;

export function encodeFrame(channel: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(channel, 0);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

export function exitStatus(exitCode: number): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [...], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

export function startFailure(message: string): object {
  return {
    metadata: {},
    status: 'Failure',
    message: `error executing command in container: failed to exec in container: ${message}`,
    reason: 'InternalError',
    code: 500,
  };
}

// Streams one exec: stdin from the request, stdout and stderr framed into the response, the exit
// status last; a client that goes away ends the command's process group.
export function streamExec(
  child: ChildProcess | { error: string },
  request: IncomingMessage,
  response: ServerResponse,
  withStdin: boolean,
): void {
  response.writeHead(200, { 'content-type': 'application/vnd.drillbook.exec-frames' });
  response.flushHeaders();
  const send = (channel: number, payload: Buffer) => {
    if (!response.destroyed) response.write(encodeFrame(channel, payload));
  };
  const finish = (status: object) => {
    send(EXEC_CHANNELS.status, Buffer.from(JSON.stringify(status)));
    response.end();
  };
  if ('error' in child) {
    finish(startFailure(child.error));
    return;
  }
  child.stdout?.on('data', (chunk: Buffer) => send(EXEC_CHANNELS.stdout, chunk));
  child.stderr?.on('data', (chunk: Buffer) => send(EXEC_CHANNELS.stderr, chunk));
  if (withStdin && child.stdin) request.pipe(child.stdin);
  else child.stdin?.end();
  child.stdin?.on('error', () => undefined);
  child.on('error', (error) => finish(startFailure(error.message)));
  child.on('close', (code) => finish(exitStatus(code ?? 1)));
  response.on('close', () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
  });
}
