import { type Cipher, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Stream } from './output-pipeline.ts';

export interface HeldChunk {
  stream: Stream;
  text: string;
}

interface Spill {
  key: Buffer;
  iv: Buffer;
  file: WriteStream;
  cipher: Cipher;
}

const STREAM_CODES: Record<Stream, number> = { stdout: 0, stderr: 1 };
const HEADER_BYTES = 5;

// Output of a step that captures a secret, held until the secret is known. Up to `memoryBytes`
// stay in memory; the rest goes to a spill file encrypted with a key that lives only in memory,
// so neither a crash nor a reader of the state dir finds the secret in it.
export class HeldOutput {
  readonly #memory: HeldChunk[] = [];
  #memoryBytes = 0;
  readonly #limit: number;
  readonly #spillFile: string;
  #spill: Spill | undefined;
  #spillError: Error | undefined;

  constructor(options: { memoryBytes: number; spillFile: string }) {
    this.#limit = options.memoryBytes;
    this.#spillFile = options.spillFile;
  }

  /** Why part of the output could not be held, if it could not. */
  get error(): Error | undefined {
    return this.#spillError;
  }

  push(stream: Stream, text: string): Promise<void> | undefined {
    if (text === '') return undefined;
    if (!this.#spill && this.#memoryBytes + text.length <= this.#limit) {
      this.#memory.push({ stream, text });
      this.#memoryBytes += text.length;
      return undefined;
    }
    if (this.#spillError) return undefined;
    const spill = this.#spill ?? this.#openSpill();
    const body = Buffer.from(text);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(STREAM_CODES[stream], 0);
    header.writeUInt32BE(body.length, 1);
    if (spill.cipher.write(Buffer.concat([header, body]))) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        spill.cipher.off('drain', done);
        spill.file.off('error', done);
        resolve();
      };
      spill.cipher.once('drain', done);
      spill.file.once('error', done);
    });
  }

  // Gives back everything held, in order, then deletes the spill file.
  async *release(): AsyncGenerator<HeldChunk> {
    yield* this.#memory.splice(0);
    const spill = this.#spill;
    if (!spill) return;
    this.#spill = undefined;
    try {
      spill.cipher.end();
      await finished(spill.file).catch((error: Error) => {
        this.#spillError ??= error;
      });
      if (this.#spillError) return;
      const decipher = createDecipheriv('aes-256-ctr', spill.key, spill.iv);
      let buffer = Buffer.alloc(0);
      for await (const chunk of createReadStream(this.#spillFile).pipe(decipher)) {
        buffer = Buffer.concat([buffer, chunk as Buffer]);
        while (buffer.length >= HEADER_BYTES && buffer.length >= HEADER_BYTES + buffer.readUInt32BE(1)) {
          const length = buffer.readUInt32BE(1);
          const stream: Stream = buffer.readUInt8(0) === 0 ? 'stdout' : 'stderr';
          yield { stream, text: buffer.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8') };
          buffer = buffer.subarray(HEADER_BYTES + length);
        }
      }
    } finally {
      await rm(this.#spillFile, { force: true });
    }
  }

  #openSpill(): Spill {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-ctr', key, iv);
    const file = createWriteStream(this.#spillFile, { flags: 'w', mode: 0o600 });
    file.on('error', (error) => {
      this.#spillError ??= error;
      cipher.unpipe(file);
      cipher.resume();
    });
    cipher.pipe(file);
    this.#spill = { key, iv, file, cipher };
    return this.#spill;
  }
}
