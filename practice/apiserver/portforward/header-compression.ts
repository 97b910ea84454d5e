import zlib from 'node:zlib';
import { adler32, SPDY3_DICTIONARY } from './spdy-dictionary.ts';
import { SpdyProtocolError } from './spdy-frames.ts';

// SPDY/3 compresses every header block of one direction of a connection as one zlib stream, with
// a sync flush after each block. The peer's stream is inflated here from its start each time, which
// keeps decoding synchronous (header blocks are a few dozen bytes, two per forwarded connection).
export class HeaderInflater {
  #compressed: Buffer = Buffer.alloc(0);
  #consumed = 0;

  inflate(block: Buffer): Buffer {
    this.#compressed = Buffer.concat([this.#compressed, block]);
    let plain: Buffer;
    try {
      plain = zlib.inflateSync(this.#compressed, {
        dictionary: SPDY3_DICTIONARY,
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
    } catch (error) {
      throw new SpdyProtocolError('a header block could not be decompressed', { cause: error });
    }
    const fresh = plain.subarray(this.#consumed);
    this.#consumed = plain.length;
    return fresh;
  }
}

// Our own header stream needs no compression to be valid: a zlib header that names the SPDY
// dictionary, then each block as stored (uncompressed) deflate blocks followed by an empty stored
// block, the marker a sync flush writes. Go's inflater only hands out a block's bytes once it has
// read the next block's header, so the marker is what lets kubectl read each header block at once.
export class HeaderDeflater {
  #started = false;

  deflate(plain: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.#started) {
      this.#started = true;
      const header = Buffer.alloc(6);
      header.writeUInt8(0x78, 0);
      header.writeUInt8(0x20, 1);
      header.writeUInt32BE(adler32(SPDY3_DICTIONARY), 2);
      parts.push(header);
    }
    for (let offset = 0; offset < plain.length; offset += 0xffff) {
      parts.push(storedBlock(plain.subarray(offset, offset + 0xffff)));
    }
    parts.push(storedBlock(Buffer.alloc(0)));
    return Buffer.concat(parts);
  }
}

function storedBlock(piece: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeUInt16LE(piece.length, 1);
  header.writeUInt16LE(~piece.length & 0xffff, 3);
  return Buffer.concat([header, piece]);
}
