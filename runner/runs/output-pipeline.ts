import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { MaskingStream } from '../secrets/masker.ts';
import type { RunRuntime } from './run-runtime.ts';

export type Stream = 'stdout' | 'stderr';

export interface OutputLimits {
  /** Bytes of masked output per attempt sent as events (journal and browser). */
  wireBytes: number;
  /** Bytes per stream kept in memory for captures and checks. */
  memoryBytes: number;
  /** Bytes kept of the end of the output, shown when the output was truncated. */
  tailBytes: number;
}

// Carries one step attempt's output: decode, mask, write the full log, send a capped share as
// events, and keep a bounded copy for captures and checks. When the step captures a secret, all
// output is held until the secret is registered, then masked and released.
export class OutputPipeline {
  readonly raw: Record<Stream, string> = { stdout: '', stderr: '' };
  readonly rawTruncated: Record<Stream, boolean> = { stdout: false, stderr: false };
  #held: { stream: Stream; text: string }[] | undefined;
  #heldBytes = 0;
  #sentBytes = 0;
  #totalBytes = 0;
  #tailChunks: Buffer[] = [];
  #tailLength = 0;
  readonly #decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  readonly #maskers: Record<Stream, MaskingStream>;
  readonly #pending: Promise<unknown>[] = [];
  readonly #keep: ReadonlySet<Stream>;

  readonly runtime: RunRuntime;
  readonly stepId: string;
  readonly attempt: number;
  readonly log: Writable;
  readonly limits: OutputLimits;

  constructor(options: {
    runtime: RunRuntime;
    stepId: string;
    attempt: number;
    log: Writable;
    limits: OutputLimits;
    holdForSecrets: boolean;
    /** The streams captures and checks read; only these are kept in memory. */
    keep: ReadonlySet<Stream>;
  }) {
    this.#keep = options.keep;
    this.runtime = options.runtime;
    this.stepId = options.stepId;
    this.attempt = options.attempt;
    this.log = options.log;
    this.limits = options.limits;
    this.#held = options.holdForSecrets ? [] : undefined;
    this.#maskers = { stdout: this.runtime.masker.createStream(), stderr: this.runtime.masker.createStream() };
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  push(stream: Stream, chunk: Buffer): Promise<void> | undefined {
    // With no secret to mask and nothing to keep, bytes go to disk as they are: no decoding, no copies.
    if (
      !this.#held &&
      this.runtime.masker.size === 0 &&
      !this.#keep.has(stream) &&
      this.#sentBytes >= this.limits.wireBytes
    ) {
      return this.#emitBytes(chunk);
    }
    const text = this.#decoders[stream].write(chunk);
    this.#keepRaw(stream, text);
    if (this.#held) {
      if (this.#heldBytes < this.limits.memoryBytes) {
        this.#held.push({ stream, text });
        this.#heldBytes += text.length;
      }
      return undefined;
    }
    return this.#emit(stream, this.#maskers[stream].push(text));
  }

  // Ends the attempt's output: release anything held (now that secrets are registered), flush the
  // maskers, and report truncation with the end of the output.
  async finish(): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#decoders[stream].end();
      this.#keepRaw(stream, rest);
      if (this.#held) this.#held.push({ stream, text: rest });
      else await this.#emit(stream, this.#maskers[stream].push(rest));
    }
    if (this.#held) {
      const held = this.#held;
      this.#held = undefined;
      for (const { stream, text } of held) await this.#emit(stream, this.#maskers[stream].push(text));
    }
    for (const stream of ['stdout', 'stderr'] as const) await this.#emit(stream, this.#maskers[stream].flush());
    await Promise.all(this.#pending);
    await new Promise<void>((resolve, reject) =>
      this.log.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (this.#totalBytes > this.#sentBytes) {
      await this.runtime.record({
        type: 'output-truncated',
        stepId: this.stepId,
        attempt: this.attempt,
        shownBytes: this.#sentBytes,
        logFile: logFileName(this.stepId, this.attempt),
        tail: this.#tail(),
      });
    }
  }

  #keepRaw(stream: Stream, text: string): void {
    if (!this.#keep.has(stream)) return;
    if (this.raw[stream].length + text.length <= this.limits.memoryBytes) this.raw[stream] += text;
    else this.rawTruncated[stream] = true;
  }

  #emit(stream: Stream, masked: string): Promise<void> | undefined {
    if (masked === '') return undefined;
    const bytes = Buffer.byteLength(masked);
    this.#totalBytes += bytes;
    this.#remember(Buffer.from(masked));
    if (this.#sentBytes < this.limits.wireBytes) {
      const room = this.limits.wireBytes - this.#sentBytes;
      const text = bytes <= room ? masked : Buffer.from(masked).subarray(0, room).toString('utf8');
      this.#sentBytes += Buffer.byteLength(text);
      this.#pending.push(
        this.runtime.record(
          { type: 'output', stepId: this.stepId, attempt: this.attempt, stream, text },
          { durable: false },
        ),
      );
    }
    if (this.log.write(masked)) return undefined;
    return new Promise((resolve) => this.log.once('drain', () => resolve()));
  }

  #emitBytes(chunk: Buffer): Promise<void> | undefined {
    this.#totalBytes += chunk.length;
    this.#remember(chunk);
    if (this.log.write(chunk)) return undefined;
    return new Promise((resolve) => this.log.once('drain', () => resolve()));
  }

  // Keeps the last chunks that cover the tail, without copying the output as it passes.
  #remember(chunk: Buffer): void {
    this.#tailChunks.push(chunk);
    this.#tailLength += chunk.length;
    while (
      this.#tailChunks.length > 1 &&
      this.#tailLength - (this.#tailChunks[0] as Buffer).length >= this.limits.tailBytes
    ) {
      this.#tailLength -= (this.#tailChunks.shift() as Buffer).length;
    }
  }

  #tail(): string {
    const bytes = Buffer.concat(this.#tailChunks);
    return bytes.subarray(Math.max(0, bytes.length - this.limits.tailBytes)).toString('utf8');
  }
}

export function logFileName(stepId: string, attempt: number): string {
  return `${stepId}.${attempt}.log`;
}
