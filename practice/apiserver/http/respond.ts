import type { ServerResponse } from 'node:http';
import { ApiStatusError, failureStatus } from '../errors.ts';

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, private',
  });
  response.end(text);
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

// Every failure becomes a Status, never a stack trace; unexpected errors are logged and hidden.
export function sendError(
  response: ServerResponse,
  error: unknown,
  log: (message: string, error?: unknown) => void,
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof ApiStatusError) {
    if (error.code >= 500) log(error.message, error.cause);
    sendJson(response, error.code, error.toStatus());
    return;
  }
  log('internal error', error);
  sendJson(
    response,
    500,
    failureStatus('InternalError', 'Internal error occurred: see the practice API server log', 500),
  );
}
