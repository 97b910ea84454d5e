import { closeSync, constants, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { setImmediate as nextPoll } from 'node:timers/promises';
import { type FifoPair, fifoStock } from './fifo-stock.ts';

/** How long the output pipes may stay open, with nothing coming through, once the step is over. */
export const PIPE_SETTLE_MS = 250;
/** However busy they are, the pipes are closed this long after the step's processes were ended… */
const PIPE_DRAIN_LIMIT_MS = 10_000;
/**
 * …unless every one of them is gone: what is left in the pipes is then all there is, and a slow
 * consumer (a busy disk) gets this long to take it.
 */
const PIPE_DRAIN_LIMIT_ALL_ENDED_MS = 120_000;

export interface OutputPipes {
  /** What the child gets as fd 1 and fd 2. */
  writeEnds: [number, number];
  stdout: net.Socket;
  stderr: net.Socket;
  /** Closes the runner's copies of the write ends, once the child has its own. */
  release(): void;
}

// Real pipes for a step's stdout and stderr. Node gives a child Unix sockets for 'pipe', which
// `> /dev/stdout`, `tee /dev/stderr` and `2>/dev/stderr` cannot open (ENXIO, see
// https://github.com/nodejs/node/issues/21941). A FIFO opened at both ends and unlinked at once
// is an ordinary pipe that nobody else can open; the FIFOs come from a stock made ahead (see
// fifo-stock.ts). Null when FIFOs cannot be made here; the caller then uses Node's sockets.
export function openOutputPipes(): OutputPipes | null {
  try {
    return openPair(fifoStock.take());
  } catch {
    fifoStock.reset();
  }
  try {
    return openPair(fifoStock.take());
  } catch {
    return null;
  }
}

function openPair(files: FifoPair): OutputPipes {
  const opened: number[] = [];
  try {
    const ends = files.map((file) => {
      const read = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
      opened.push(read);
      const write = openSync(file, constants.O_WRONLY);
      opened.push(write);
      return { read, write };
    });
    const [out, err] = ends as [{ read: number; write: number }, { read: number; write: number }];
    return {
      writeEnds: [out.write, err.write],
      stdout: new net.Socket({ fd: out.read, readable: true, writable: false }),
      stderr: new net.Socket({ fd: err.read, readable: true, writable: false }),
      release: () => {
        closeSync(out.write);
        closeSync(err.write);
      },
    };
  } catch (error) {
    for (const fd of opened) closeSync(fd);
    throw error;
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}

export interface PipeFlow {
  lastActivity: number;
  /** Chunks the consumer has not finished with; the pipes are busy, not stuck, meanwhile. */
  pending: number;
  /** Pipes read to their end: no process holds their write end any more. */
  ended: number;
}

// Reads a stream to its end, pausing while the consumer's promise is pending. Resolves, never
// rejects: a stream that errs or is destroyed is simply over.
export function pumpPipe(
  readable: Readable | null,
  flow: PipeFlow,
  onChunk: (chunk: Buffer) => void | Promise<void>,
): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!readable) {
      flow.ended++;
      return resolve();
    }
    readable.on('data', (chunk: Buffer) => {
      flow.lastActivity = performance.now();
      const pending = onChunk(chunk);
      if (pending) {
        flow.pending++;
        readable.pause();
        const resume = () => {
          flow.pending--;
          flow.lastActivity = performance.now();
          readable.resume();
        };
        pending.then(resume, resume);
      }
    });
    readable.once('end', () => {
      flow.ended++;
      resolve();
    });
    readable.once('close', resolve);
    readable.once('error', () => resolve());
  });
}

// True when the pipes closed; false when they stayed open with nothing coming through them for
// PIPE_SETTLE_MS (a process out of reach holds them), or for the drain limit in all.
export async function drainPipes(pipes: Promise<unknown>, flow: PipeFlow, allEnded: boolean): Promise<boolean> {
  const start = performance.now();
  const limit = allEnded ? PIPE_DRAIN_LIMIT_ALL_ENDED_MS : PIPE_DRAIN_LIMIT_MS;
  for (;;) {
    if (await settle(pipes, PIPE_SETTLE_MS / 5)) return true;
    const now = performance.now();
    if (now - start >= limit) return false;
    if (flow.pending === 0 && now - Math.max(start, flow.lastActivity) >= PIPE_SETTLE_MS) {
      // Timers run before the loop polls for I/O: after a stall, data already waiting in the
      // pipe is only seen once the loop has polled, so look again after one poll.
      const before = flow.lastActivity;
      await nextPoll();
      if (flow.lastActivity === before && flow.pending === 0) return false;
    }
  }
}

// True when the promise settled within the time allowed.
export async function settle(promise: Promise<unknown>, milliseconds: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), milliseconds);
  });
  const outcome = await Promise.race([promise.then(() => true as const), timedOut]);
  clearTimeout(timer);
  return outcome;
}
