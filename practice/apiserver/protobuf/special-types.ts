import type { FieldValues } from './decode-message.ts';
import { formatGoDuration, formatMicroTime, formatTime } from './go-json-values.ts';
import { MalformedProtobufError } from './protobuf-errors.ts';

type SpecialDecoder = (field: (id: number) => unknown, bytes: Uint8Array) => unknown;

// Messages whose JSON form is not an object: Go types with their own MarshalJSON.
const SPECIAL_TYPES: Record<string, SpecialDecoder> = {
  Time: (field, bytes) => (bytes.length === 0 ? null : formatTime(bigintOf(field(1)))),
  MicroTime: (field, bytes) => (bytes.length === 0 ? null : formatMicroTime(bigintOf(field(1)), Number(field(2) ?? 0))),
  Duration: (field) => formatGoDuration(bigintOf(field(1))),
  IntOrString: (field) => (bigintOf(field(1)) === 1n ? (field(3) ?? '') : (field(2) ?? 0)),
  Quantity: (field) => field(1) ?? '',
  RawExtension: (field) => parseEmbeddedJson(field(1), 'RawExtension'),
  FieldsV1: (field) => parseEmbeddedJson(field(1), 'FieldsV1'),
};

// The JSON value of a special message, or matched: false for an ordinary one.
export function decodeSpecialType(
  name: string,
  values: FieldValues,
  bytes: Uint8Array,
): { matched: boolean; value?: unknown } {
  if (name === 'ExtraValue') return { matched: true, value: values.get(1) ?? [] };
  const decode = SPECIAL_TYPES[name];
  if (!decode) return { matched: false };
  return { matched: true, value: decode((id) => values.get(id)?.at(-1), bytes) };
}

function bigintOf(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(Number(value ?? 0));
}

function parseEmbeddedJson(raw: unknown, typeName: string): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return null;
  const text = Buffer.from(raw).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedProtobufError(`the ${typeName} in the protobuf body is not JSON`);
  }
}
