import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/respond.ts';

const PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const INFO = { title: 'Kubernetes', version: 'v1.32.0' };

// OpenAPI v2 with no paths: kubectl asks for it when a kind is missing from the v3 documents (a
// misspelt kind) and, finding no schema there either, goes on to the "no matches for kind" error
// kube-apiserver's clients see. Every served kind is described in v3 only.
export function serveOpenApiV2(request: IncomingMessage, response: ServerResponse): void {
  if (!(request.headers.accept ?? '').includes(PROTOBUF)) {
    sendJson(response, 200, { swagger: '2.0', info: INFO, paths: {}, definitions: {} });
    return;
  }
  const body = encodeDocument();
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  response.end(body);
}

// gnostic's openapi_v2.Document: swagger (field 1) and info (field 2: title 1, version 2).
function encodeDocument(): Buffer {
  const field = (number: number, bytes: Buffer) =>
    Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
  const info = Buffer.concat([field(1, Buffer.from(INFO.title)), field(2, Buffer.from(INFO.version))]);
  return Buffer.concat([field(1, Buffer.from('2.0')), field(2, info)]);
}
