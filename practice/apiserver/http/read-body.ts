import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiStatusError } from '../errors.ts';
import { decodeKubernetesProtobuf } from '../protobuf/decode-object.ts';
import { mediaTypeOf } from './negotiate.ts';

const MAX_BODY_BYTES = 3 * 1024 * 1024;
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;
const ACCEPTED = 'application/json, application/yaml, application/vnd.kubernetes.protobuf';

// Reads a body up to the limit. A larger one is read to its end and dropped before the 413, so
// the client, still sending, reliably gets the answer instead of a reset connection.
export async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAINED_BYTES) {
      request.destroy();
      break;
    }
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES)
    throw new ApiStatusError('RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
  return Buffer.concat(chunks);
}

// An object in any encoding the clients send: JSON (kubectl), YAML, and Kubernetes protobuf (helm).
export async function readObjectBody(request: IncomingMessage): Promise<unknown> {
  const raw = await readRawBody(request);
  const type = mediaTypeOf(request.headers['content-type']);
  return decodeBody(raw, type === '' ? 'application/json' : type);
}

export function decodeBody(raw: Buffer, mediaType: string): unknown {
  if (mediaType === 'application/vnd.kubernetes.protobuf') return decodeKubernetesProtobuf(raw);
  const text = raw.toString('utf8');
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return parseJson(text);
  if (mediaType === 'application/yaml' || mediaType.endsWith('+yaml')) return parseYamlBody(text);
  throw new ApiStatusError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${ACCEPTED}`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiStatusError('BadRequest', `the body of the request could not be decoded: ${(error as Error).message}`);
  }
}

function parseYamlBody(text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ApiStatusError('BadRequest', `error converting YAML to JSON: ${(error as Error).message}`);
  }
}
