import protobuf from 'protobufjs';
import { META_PACKAGE } from './kubernetes-schema.ts';
import { MalformedProtobufError, UnknownProtobufFieldError } from './protobuf-errors.ts';
import { decodeSpecialType } from './special-types.ts';

export type FieldValues = Map<number, unknown[]>;

const LENGTH_DELIMITED = 2;
const WIRE_TYPES: Record<string, number> = { string: 2, bytes: 2, bool: 0, int32: 0, int64: 0 };

// Decodes one message into the JSON Go's encoder writes for the same struct: omitempty fields left
// out when zero, pointers and structs written whenever set, embedded structs inlined.
export function decodeMessage(type: protobuf.Type, bytes: Uint8Array): unknown {
  const values = readFields(type, bytes);
  if (type.parent?.fullName === `.${META_PACKAGE}` || type.name === 'ExtraValue') {
    const special = decodeSpecialType(type.name, values, bytes);
    if (special.matched) return special.value;
  }
  return writeGoJson(type, values);
}

function readFields(type: protobuf.Type, bytes: Uint8Array): FieldValues {
  const reader = protobuf.Reader.create(bytes);
  const values: FieldValues = new Map();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = type.fieldsById[tag >>> 3];
    if (!field) throw unknownField(type, tag);
    const list = values.get(field.id) ?? [];
    values.set(field.id, list);
    readValue(reader, field, tag & 7, list);
  }
  return values;
}

function readValue(reader: protobuf.Reader, field: protobuf.Field, wire: number, list: unknown[]): void {
  if (field instanceof protobuf.MapField) {
    list.push(readMapEntry(field, delimited(reader, wire, field)));
  } else if (field.resolvedType instanceof protobuf.Type) {
    list.push(decodeMessage(field.resolvedType, delimited(reader, wire, field)));
  } else if (field.repeated && wire === LENGTH_DELIMITED && WIRE_TYPES[field.type] === 0) {
    const packed = protobuf.Reader.create(reader.bytes());
    while (packed.pos < packed.len) list.push(readScalar(packed, field.type));
  } else {
    if (WIRE_TYPES[field.type] !== wire) throw wrongWireType(field, wire);
    list.push(readScalar(reader, field.type));
  }
}

function readMapEntry(field: protobuf.MapField, bytes: Uint8Array): [string, unknown] {
  const reader = protobuf.Reader.create(bytes);
  let key = '';
  let value: unknown;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 0x0a) key = reader.string();
    else if (tag >>> 3 === 2 && field.resolvedType instanceof protobuf.Type) {
      value = decodeMessage(field.resolvedType, delimited(reader, tag & 7, field));
    } else if (tag >>> 3 === 2 && WIRE_TYPES[field.type] === (tag & 7)) value = readScalar(reader, field.type);
    else throw new MalformedProtobufError(`bad entry in map field ${field.parent?.name}.${field.name}`);
  }
  if (value === undefined) {
    value = field.resolvedType instanceof protobuf.Type ? decodeMessage(field.resolvedType, new Uint8Array()) : '';
  }
  return [key, toJsonScalar(value)];
}

function delimited(reader: protobuf.Reader, wire: number, field: protobuf.FieldBase): Uint8Array {
  if (wire !== LENGTH_DELIMITED) throw wrongWireType(field, wire);
  return reader.bytes();
}

function readScalar(reader: protobuf.Reader, type: string): unknown {
  switch (type) {
    case 'string':
      return reader.string();
    case 'bytes':
      return reader.bytes();
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    default:
      return BigInt(String(reader.int64()));
  }
}

function writeGoJson(type: protobuf.Type, values: FieldValues): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const list = values.get(field.id);
    const always = field.options?.['(always)'] === true;
    if (field.map || field.repeated) {
      if (list?.length)
        json[field.name] = field.map ? Object.fromEntries(list as [string, unknown][]) : list.map(toJsonScalar);
      else if (always) json[field.name] = null;
    } else if (field.resolvedType) {
      if (list === undefined) {
        if (always) json[field.name] = null;
      } else if (field.options?.['(inline)'] === true) Object.assign(json, list.at(-1));
      else if (list.at(-1) !== null || field.options?.['(omitzero)'] !== true) json[field.name] = list.at(-1);
    } else if (list !== undefined) {
      const value = list.at(-1);
      if (always || field.options?.['(nullable)'] === true || !isZero(value)) json[field.name] = toJsonScalar(value);
    } else if (always) json[field.name] = zeroOf(field.type);
  }
  return json;
}

function toJsonScalar(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

function isZero(value: unknown): boolean {
  return (
    value === '' || value === 0 || value === 0n || value === false || (value instanceof Uint8Array && !value.length)
  );
}

function zeroOf(type: string): unknown {
  return type === 'string' ? '' : type === 'bool' ? false : type === 'bytes' ? null : 0;
}

function unknownField(type: protobuf.Type, tag: number): Error {
  if (tag >>> 3 === 0 || (tag & 7) > 5) return new MalformedProtobufError(`invalid field tag ${tag} in ${type.name}`);
  return new UnknownProtobufFieldError(`field ${tag >>> 3} of ${type.name}`);
}

function wrongWireType(field: protobuf.FieldBase, wire: number): MalformedProtobufError {
  return new MalformedProtobufError(`field ${field.parent?.name}.${field.name} has wire type ${wire}`);
}
