import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { OutputStreamSchema, type OutputStream as Stream } from '../../protocol/index.ts';
import type { MaskingStream } from '../secrets/masker.ts';
import { describeFault } from './attempt-faults.ts';
import type { RecordOutput } from './attempt-recorder.ts';
import type { HeldOutput } from './held-output.ts';

export type { Stream };

export interface OutputLimits {
  /** Bytes of masked output per attempt sent as events (journal and browser). */
  wireBytes: number;
  /** Bytes per stream kept in memory for captures and checks. */
  memoryBytes: number;
  /** Bytes kept of the end of the output, shown when the output was truncated. */
  tailBytes: number;
}

/** Bytes of one attempt already sent as events, shared by every poll of a wait. */
export interface OutputBudget {
  sentBytes: number;
}

/** The run's secrets as output needs them: a masker per stream, and whether there is any. */
export interface StreamMasking {
  readonly size: number;
  createStream(): MaskingStream;
}

// Carries the output of one process of a step attempt: decode, mask, write the full log (the
// sink), record a capped share as events, and keep a bounded copy for captures and checks. When the step captures
// a secret, all output is held until the secret is registered, then masked and released. A write
// that fails (log or journal) does not stop the step; it is reported in `faults`.
export class OutputPipeline {
  readonly raw: Record<Stream, string> = { stdout: '', stderr: '' };
  readonly rawTruncated: Record<Stream, boolean> = { stdout: false, stderr: false };
  #held: HeldOutput | undefined;
  #shownBytes = 0;
  #totalBytes = 0;
  #tailChunks: Buffer[] = [];
  #tailLength = 0;
  #logError: Error | undefined;
  #journalError: unknown;
  #journalFailures = 0;
  readonly #decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  readonly #maskers: Record<Stream, MaskingStream>;
  readonly #pending: Promise<unknown>[] = [];
  readonly #keep: ReadonlySet<Stream>;
  readonly #budget: OutputBudget;
  readonly #record: RecordOutput;
  readonly #mask: StreamMasking;

  readonly stepId: string;
  readonly attempt: number;
  readonly log: Writable;
  readonly logFile: string;
  readonly limits: OutputLimits;

  constructor(options: {
    record: RecordOutput;
    mask: StreamMasking;
    stepId: string;
    attempt: number;
    log: Writable;
    logFile: string;
    limits: OutputLimits;
    budget: OutputBudget;
    held?: HeldOutput;
    /** The streams captures and checks read; only these are kept in memory. */
    keep: ReadonlySet<Stream>;
  }) {
    this.#keep = options.keep;
    this.#budget = options.budget;
    this.#record = options.record;
    this.#mask = options.mask;
    this.stepId = options.stepId;
    this.attempt = options.attempt;
    this.log = options.log;
    this.logFile = options.logFile;
    this.limits = options.limits;
    this.#held = options.held;
    this.#maskers = { stdout: this.#mask.createStream(), stderr: this.#mask.createStream() };
    this.log.on('error', (error: Error) => {
      this.#logError ??= error;
    });
  }

  /** What went wrong writing this output down, in words for the step's message. */
  get faults(): string[] {
    const faults: string[] = [];
    if (this.#logError) faults.push(`its log ${this.logFile} could not be written (${describeFault(this.#logError)})`);
    if (this.#journalFailures > 0)
      faults.push(
        `${this.#journalFailures} output events could not be recorded (${describeFault(this.#journalError)})`,
      );
    if (this.#held?.error) faults.push(`output held for a secret was lost (${describeFault(this.#held.error)})`);
    return faults;
  }

  push(stream: Stream, chunk: Buffer): Promise<void> | undefined {
    // With no secret to mask and nothing to keep, bytes go to disk as they are: no decoding, no copies.
    if (
      !this.#held &&
      this.#mask.size === 0 &&
      !this.#keep.has(stream) &&
      this.#budget.sentBytes >= this.limits.wireBytes
    ) {
      return this.#emitBytes(chunk);
    }
    const text = this.#decoders[stream].write(chunk);
    this.#keepRaw(stream, text);
    if (this.#held) return this.#held.push(stream, text);
    return this.#emit(stream, this.#maskers[stream].push(text));
  }

  // Ends the output: release anything held (now that secrets are registered) except the streams
  // to withhold, flush the maskers, close the log, and report truncation with the end of the output.
  async finish(options: { withhold?: ReadonlyMap<Stream, string> } = {}): Promise<void> {
    for (const stream of OutputStreamSchema.options) {
      const rest = this.#decoders[stream].end();
      this.#keepRaw(stream, rest);
      if (this.#held) await this.#held.push(stream, rest);
      else await this.#emit(stream, this.#maskers[stream].push(rest));
    }
    if (this.#held) {
      const withheld = { stdout: 0, stderr: 0 };
      for await (const { stream, text } of this.#held.release()) {
        if (options.withhold?.has(stream)) withheld[stream] += Buffer.byteLength(text);
        else await this.#emit(stream, this.#maskers[stream].push(text));
      }
      for (const [stream, reason] of options.withhold ?? []) {
        if (withheld[stream] > 0)
          await this.#emit(stream, `\n[drillbook: ${withheld[stream]} bytes of ${stream} withheld: ${reason}]\n`);
      }
    }
    for (const stream of OutputStreamSchema.options) await this.#emit(stream, this.#maskers[stream].flush());
    await Promise.all(this.#pending);
    await this.#closeLog();
    if (this.#totalBytes > this.#shownBytes) {
      await this.#record(
        {
          type: 'output-truncated',
          stepId: this.stepId,
          attempt: this.attempt,
          shownBytes: this.#shownBytes,
          logFile: this.logFile,
          tail: this.#tail(),
        },
        { durable: true },
      ).catch((error: unknown) => this.#noteJournalFailure(error));
    }
  }

  async #closeLog(): Promise<void> {
    if (!this.#logError && this.log.destroyed) this.#logError = this.log.errored ?? new Error('the log was closed');
    if (this.#logError) {
      this.log.destroy();
      return;
    }
    this.log.end();
    await finished(this.log).catch((error: Error) => {
      this.#logError ??= error;
    });
  }

  #keepRaw(stream: Stream, text: string): void {
    if (!this.#keep.has(stream) || this.rawTruncated[stream]) return;
    if (this.raw[stream].length + text.length <= this.limits.memoryBytes) this.raw[stream] += text;
    else this.rawTruncated[stream] = true;
  }

  #emit(stream: Stream, masked: string): Promise<void> | undefined {
    if (masked === '') return undefined;
    const bytes = Buffer.byteLength(masked);
    this.#totalBytes += bytes;
    this.#remember(Buffer.from(masked));
    if (this.#budget.sentBytes < this.limits.wireBytes) {
      const room = this.limits.wireBytes - this.#budget.sentBytes;
      const text = bytes <= room ? masked : Buffer.from(masked).subarray(0, room).toString('utf8');
      const sent = Buffer.byteLength(text);
      this.#budget.sentBytes += sent;
      this.#shownBytes += sent;
      this.#pending.push(
        this.#record(
          { type: 'output', stepId: this.stepId, attempt: this.attempt, stream, text },
          { durable: false },
        ).catch((error: unknown) => this.#noteJournalFailure(error)),
      );
    }
    return this.#writeLog(masked);
  }

  #emitBytes(chunk: Buffer): Promise<void> | undefined {
    this.#totalBytes += chunk.length;
    this.#remember(chunk);
    return this.#writeLog(chunk);
  }

  #writeLog(data: string | Buffer): Promise<void> | undefined {
    if (!this.#logError && this.log.destroyed) this.#logError = this.log.errored ?? new Error('the log was closed');
    if (this.#logError || this.log.write(data)) return undefined;
    return waitForDrain(this.log);
  }

  #noteJournalFailure(error: unknown): void {
    this.#journalFailures++;
    this.#journalError ??= error;
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

// Resolves when the stream can take more, or can take nothing more (it failed or closed).
function waitForDrain(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

export function logFileName(stepId: string, attempt: number, poll = 1, node?: string): string {
  const base = node === undefined ? `${stepId}.${attempt}` : `${stepId}.${attempt}.${node}`;
  return poll === 1 ? `${base}.log` : `${base}.poll${poll}.log`;
}
