// SPDY/3 framing (spdy-protocol-draft3, section 2.2), the wire format kubectl's port-forward speaks
// through github.com/moby/spdystream. Control frames: 1 bit set, 15 bits version (3), 16 bits type,
// 8 bits flags, 24 bits length. Data frames: 1 bit clear, 31 bits stream id, flags, length.
export const FRAME_TYPES = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const SPDY_VERSION = 3;
const HEADER_LENGTH = 8;
/** Data frames are cut at this size; SPDY allows 2^24-1, moby/spdystream writes what it is given. */
export const MAX_DATA_PAYLOAD = 32 * 1024;

/** RST_STREAM status codes. */
export const RESET_STATUS = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5 } as const;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; flags: number; payload: Buffer }
  | { kind: 'control'; version: number; type: number; flags: number; payload: Buffer };

export class SpdyProtocolError extends Error {
  readonly code = 'SPDY_PROTOCOL_ERROR';
}

// Cuts a byte stream into frames; bytes may arrive split or joined anywhere (a TCP socket, or
// WebSocket messages that tunnel the stream).
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.#pending.length >= HEADER_LENGTH) {
      const length = this.#pending.readUIntBE(5, 3);
      if (this.#pending.length < HEADER_LENGTH + length) break;
      const first = this.#pending.readUInt32BE(0);
      const flags = this.#pending.readUInt8(4);
      const payload = this.#pending.subarray(HEADER_LENGTH, HEADER_LENGTH + length);
      this.#pending = this.#pending.subarray(HEADER_LENGTH + length);
      if (first & 0x80000000) {
        frames.push({ kind: 'control', version: (first >>> 16) & 0x7fff, type: first & 0xffff, flags, payload });
      } else {
        frames.push({ kind: 'data', streamId: first, flags, payload });
      }
    }
    return frames;
  }
}

export function encodeControlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt32BE((0x80000000 | (SPDY_VERSION << 16) | type) >>> 0, 0);
  header.writeUInt8(flags, 4);
  header.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([header, payload]);
}

export function encodeDataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt32BE(streamId & 0x7fffffff, 0);
  header.writeUInt8(flags, 4);
  header.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([header, payload]);
}

export function uint32s(...values: number[]): Buffer {
  const buffer = Buffer.alloc(4 * values.length);
  values.forEach((value, index) => {
    buffer.writeUInt32BE(value >>> 0, 4 * index);
  });
  return buffer;
}

/** A name/value block (section 2.6.10) before compression: counts and lengths are 32-bit. */
export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [uint32s(entries.length)];
  for (const [name, value] of entries) {
    const nameBytes = Buffer.from(name.toLowerCase(), 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    parts.push(uint32s(nameBytes.length), nameBytes, uint32s(valueBytes.length), valueBytes);
  }
  return Buffer.concat(parts);
}

// Several values of one name are joined by NUL on the wire; this keeps the first, which is all
// the port-forward headers (streamtype, port, requestid) ever carry.
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let offset = 0;
  const read = (): Buffer => {
    if (offset + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const length = block.readUInt32BE(offset);
    offset += 4;
    if (offset + length > block.length) throw new SpdyProtocolError('truncated header block');
    const bytes = block.subarray(offset, offset + length);
    offset += length;
    return bytes;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  offset = 4;
  for (let index = 0; index < count; index++) {
    const name = read().toString('utf8').toLowerCase();
    const value = read().toString('utf8').split('\0')[0] ?? '';
    headers[name] ??= value;
  }
  return headers;
}
