import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { ApiStatusError } from '../errors.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const root = protobuf.loadSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'kubernetes.proto'));
const lookup = (name: string) => root.lookupType(`drillbook.kubernetes.${name}`);
const Unknown = lookup('Unknown');
const DECODABLE = new Map([
  ['v1/Secret', lookup('Secret')],
  ['v1/ConfigMap', lookup('ConfigMap')],
  ['v1/DeleteOptions', lookup('DeleteOptions')],
  ['meta.k8s.io/v1/DeleteOptions', lookup('DeleteOptions')],
]);

type Json = Record<string, unknown>;

// Decodes a body in the Kubernetes protobuf encoding ("k8s\0" + runtime.Unknown) into the same
// JSON a client would have sent, for the kinds our clients send this way (helm's Secrets).
export function decodeKubernetesProtobuf(raw: Buffer): Json {
  if (raw.length < 4 || !raw.subarray(0, 4).equals(MAGIC)) {
    throw new ApiStatusError(
      'BadRequest',
      'provided object is not a Kubernetes protobuf message: missing the "k8s\\x00" prefix',
    );
  }
  let envelope: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  try {
    envelope = Unknown.decode(raw.subarray(4)) as typeof envelope;
  } catch (error) {
    throw new ApiStatusError('BadRequest', `the protobuf body could not be decoded: ${(error as Error).message}`);
  }
  const typeMeta = envelope.typeMeta ?? {};
  const type = DECODABLE.get(`${typeMeta.apiVersion}/${typeMeta.kind}`);
  if (!type) {
    throw new ApiStatusError(
      'UnsupportedMediaType',
      `the practice API server decodes protobuf bodies of Secret, ConfigMap and DeleteOptions only, not ${typeMeta.apiVersion}/${typeMeta.kind}; send JSON`,
    );
  }
  let message: Json;
  try {
    message = type.toObject(type.decode(envelope.raw ?? new Uint8Array()), {
      longs: Number,
      bytes: String,
      defaults: false,
    }) as Json;
  } catch (error) {
    throw new ApiStatusError(
      'BadRequest',
      `the protobuf ${typeMeta.kind} could not be decoded: ${(error as Error).message}`,
    );
  }
  if (message.metadata) message.metadata = normalizeMetadata(message.metadata as Json);
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...message };
}

function normalizeMetadata(metadata: Json): Json {
  const normalized: Json = { ...metadata };
  for (const key of ['creationTimestamp', 'deletionTimestamp']) {
    if (normalized[key]) normalized[key] = timeToString(normalized[key] as { seconds?: number });
  }
  if (Array.isArray(normalized.managedFields)) {
    normalized.managedFields = (normalized.managedFields as Json[]).map((entry) => ({
      ...entry,
      ...(entry.time ? { time: timeToString(entry.time as { seconds?: number }) } : {}),
      ...(entry.fieldsV1
        ? {
            fieldsV1: JSON.parse(
              Buffer.from(String((entry.fieldsV1 as Json).Raw ?? ''), 'base64').toString('utf8') || '{}',
            ),
          }
        : {}),
    }));
  }
  return normalized;
}

function timeToString(time: { seconds?: number }): string | undefined {
  return time.seconds === undefined ? undefined : new Date(time.seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}
