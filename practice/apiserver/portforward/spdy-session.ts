import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { HeaderDeflater, HeaderInflater } from './header-compression.ts';
import {
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeHeaderBlock,
  FLAG_FIN,
  FRAME_TYPES,
  FrameReader,
  MAX_DATA_PAYLOAD,
  RESET_STATUS,
  SPDY_VERSION,
  type SpdyFrame,
  uint32s,
} from './spdy-frames.ts';

// One stream the client opened: a Duplex whose writes are DATA frames and whose end is a FIN.
// Flow control is left out, as moby/spdystream (kubectl's side) leaves it out.
export class SpdyStream extends Duplex {
  readonly id: number;
  readonly headers: Record<string, string>;
  readonly #session: SpdySession;

  constructor(session: SpdySession, id: number, headers: Record<string, string>) {
    super({ allowHalfOpen: true });
    this.#session = session;
    this.id = id;
    this.headers = headers;
  }

  /** Accepts the stream (SYN_REPLY with no headers), as kube's stream handlers do. */
  reply(): void {
    this.#session.sendControl(
      FRAME_TYPES.synReply,
      0,
      Buffer.concat([uint32s(this.id), this.#session.headerBlock({})]),
    );
  }

  /** Refuses or abandons the stream (RST_STREAM). */
  reset(status: number = RESET_STATUS.cancel): void {
    this.#session.sendControl(FRAME_TYPES.rstStream, 0, uint32s(this.id, status));
    this.#session.forget(this.id);
    this.destroy();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (let offset = 0; offset < chunk.length; offset += MAX_DATA_PAYLOAD) {
      this.#session.sendRaw(encodeDataFrame(this.id, 0, chunk.subarray(offset, offset + MAX_DATA_PAYLOAD)));
    }
    this.#session.whenWritable(callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#session.sendRaw(encodeDataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
    callback();
  }
}

// The server side of a SPDY/3.1 connection over any byte stream: a socket after an HTTP upgrade, or
// a WebSocket that tunnels SPDY. Emits 'stream' for each SYN_STREAM and 'close' once the transport
// ends; answers PINGs; GOAWAY or a protocol error ends the connection.
export class SpdySession extends EventEmitter<{ stream: [SpdyStream]; close: [] }> {
  readonly #transport: Duplex;
  readonly #reader = new FrameReader();
  readonly #inflater = new HeaderInflater();
  readonly #deflater = new HeaderDeflater();
  readonly #streams = new Map<number, SpdyStream>();
  #closed = false;

  constructor(transport: Duplex, log: (message: string, error?: unknown) => void = () => undefined) {
    super();
    this.#transport = transport;
    transport.on('data', (chunk: Buffer) => {
      try {
        for (const frame of this.#reader.push(chunk)) this.#handle(frame);
      } catch (error) {
        log('a SPDY connection broke the protocol and was closed', error);
        this.close();
      }
    });
    transport.on('end', () => this.close());
    transport.on('close', () => this.close());
    transport.on('error', () => this.close());
  }

  headerBlock(headers: Record<string, string>): Buffer {
    return this.#deflater.deflate(encodeHeaderBlock(headers));
  }

  sendControl(type: number, flags: number, payload: Buffer): void {
    this.sendRaw(encodeControlFrame(type, flags, payload));
  }

  sendRaw(bytes: Buffer): void {
    if (!this.#closed && this.#transport.writable) this.#transport.write(bytes);
  }

  whenWritable(callback: () => void): void {
    if (this.#closed || !this.#transport.writableNeedDrain) callback();
    else this.#transport.once('drain', () => callback());
  }

  forget(id: number): void {
    this.#streams.delete(id);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of this.#streams.values()) stream.destroy();
    this.#streams.clear();
    this.#transport.destroy();
    this.emit('close');
  }

  #handle(frame: SpdyFrame): void {
    if (frame.kind === 'data') {
      this.#handleData(frame.streamId, frame.flags, frame.payload);
      return;
    }
    if (frame.version !== SPDY_VERSION) return;
    const { payload } = frame;
    if (frame.type === FRAME_TYPES.synStream) {
      const id = payload.readUInt32BE(0) & 0x7fffffff;
      const headers = decodeHeaderBlock(this.#inflater.inflate(payload.subarray(10)));
      const stream = new SpdyStream(this, id, headers);
      this.#streams.set(id, stream);
      stream.on('close', () => this.forget(id));
      if (frame.flags & FLAG_FIN) stream.push(null);
      this.emit('stream', stream);
    } else if (frame.type === FRAME_TYPES.synReply || frame.type === FRAME_TYPES.headers) {
      this.#inflater.inflate(payload.subarray(4));
    } else if (frame.type === FRAME_TYPES.rstStream) {
      const id = payload.readUInt32BE(0) & 0x7fffffff;
      this.#streams.get(id)?.destroy();
      this.forget(id);
    } else if (frame.type === FRAME_TYPES.ping) {
      if (payload.readUInt32BE(0) % 2 === 1) this.sendControl(FRAME_TYPES.ping, 0, payload.subarray(0, 4));
    } else if (frame.type === FRAME_TYPES.goAway) {
      this.close();
    }
  }

  #handleData(id: number, flags: number, payload: Buffer): void {
    const stream = this.#streams.get(id);
    if (!stream) return;
    if (payload.length > 0) stream.push(payload);
    if (flags & FLAG_FIN) stream.push(null);
  }
}
