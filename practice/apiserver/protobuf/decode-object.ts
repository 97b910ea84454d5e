import { ApiStatusError } from '../errors.ts';
import { decodeMessage } from './decode-message.ts';
import { declaredKinds, lookupKind, metaType } from './kubernetes-schema.ts';
import { UnknownProtobufFieldError } from './protobuf-errors.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Json = Record<string, unknown>;

// Decodes a body in the Kubernetes protobuf encoding ("k8s\0" + runtime.Unknown) into the JSON the
// same client would have sent: typed client-go calls (kubectl create, auth can-i, helm) send this.
export function decodeKubernetesProtobuf(raw: Buffer): Json {
  if (raw.length < 4 || !raw.subarray(0, 4).equals(MAGIC)) {
    throw new ApiStatusError(
      'BadRequest',
      'provided object is not a Kubernetes protobuf message: missing the "k8s\\x00" prefix',
    );
  }
  const envelope = decodeEnvelope(raw.subarray(4));
  const apiVersion = String(envelope.typeMeta?.apiVersion ?? '');
  const kind = String(envelope.typeMeta?.kind ?? '');
  if (envelope.contentEncoding) {
    throw new ApiStatusError(
      'UnsupportedMediaType',
      `the practice API server cannot decode protobuf bodies with content encoding ${envelope.contentEncoding}; send JSON`,
    );
  }
  const type = lookupKind(apiVersion, kind);
  if (!type) {
    throw new ApiStatusError(
      'UnsupportedMediaType',
      `the practice API server cannot decode a protobuf ${apiVersion}/${kind}: its protobuf schema declares ${declaredKinds().length} kinds, not this one; send JSON`,
    );
  }
  try {
    return { apiVersion, kind, ...(decodeMessage(type, envelope.raw ?? new Uint8Array()) as Json) };
  } catch (error) {
    throw translateError(error, `${apiVersion}/${kind}`);
  }
}

interface Envelope {
  typeMeta?: { apiVersion?: unknown; kind?: unknown } | null;
  raw?: Uint8Array | undefined;
  contentEncoding?: unknown;
}

function decodeEnvelope(bytes: Buffer): Envelope {
  try {
    const envelope = decodeMessage(metaType('Unknown'), bytes) as { raw?: string } & Envelope;
    return { ...envelope, raw: envelope.raw === undefined ? undefined : Buffer.from(envelope.raw, 'base64') };
  } catch (error) {
    throw translateError(error, 'runtime.Unknown envelope');
  }
}

function translateError(error: unknown, what: string): unknown {
  if (error instanceof UnknownProtobufFieldError) {
    return new ApiStatusError(
      'UnsupportedMediaType',
      `the practice API server cannot decode ${error.message} in this protobuf ${what}; send JSON`,
    );
  }
  if (error instanceof Error) {
    return new ApiStatusError('BadRequest', `the protobuf ${what} could not be decoded: ${(error as Error).message}`);
  }
  return error;
}
