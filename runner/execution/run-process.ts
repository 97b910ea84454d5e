import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { MARKER_VARIABLE } from './process-table.ts';
import { StepProcesses } from './step-processes.ts';

export type OutputStream = 'stdout' | 'stderr';

/** How long the output pipes may stay open, with nothing coming through, once the step is over. */
export const PIPE_SETTLE_MS = 250;
/** However busy they are, the pipes are closed this long after the step's processes were ended. */
const PIPE_DRAIN_LIMIT_MS = 10_000;

export interface ProcessRequest {
  /** The complete bash program, prologue included. */
  program: string;
  /** Delivered on fd 3; the prologue reads the values from it. */
  valuesPayload: Uint8Array;
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  idleTimeoutMs: number | null;
  graceMs: number;
  /** Set in the environment of every process of the step. */
  marker?: string;
  signal?: AbortSignal;
  onSpawn?: (pgid: number) => void;
  /** Returning a promise pauses the stream until it settles (backpressure). */
  onOutput: (stream: OutputStream, chunk: Buffer) => void | Promise<void>;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  timedOut: boolean;
  idleTimedOut: boolean;
  canceled: boolean;
  pgid: number | null;
  /** Set when bash could not be started at all. */
  spawnError: Error | null;
  /** Output pipes still held open by a process out of reach, closed by the runner; false otherwise. */
  pipesAbandoned?: boolean;
}

type StopReason = 'timeout' | 'idle' | 'cancel';

// Runs one step: bash with errexit and pipefail in its own session and process group, stdin
// closed. The step ends when bash exits or when a timeout or Cancel stops it. Then:
// 1. after bash exited by itself, its pipes get PIPE_SETTLE_MS to close (a background writer
//    finishing its last line);
// 2. every process still belonging to the step (see StepProcesses: marker, descendants, session,
//    group) gets SIGTERM, and SIGKILL after the grace period;
// 3. the pipes get PIPE_SETTLE_MS more to deliver what is buffered, then are closed.
// So the step ends within its timeout plus the grace period, and leaves no process behind.
export async function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const started = performance.now();
  const marker = request.marker ?? randomUUID();
  const subprocess = execa('bash', ['--noprofile', '--norc', '-c', request.program, 'drillbook-step'], {
    cwd: request.cwd,
    env: { ...request.env, [MARKER_VARIABLE]: marker },
    extendEnv: false,
    stdio: ['ignore', 'pipe', 'pipe', request.valuesPayload],
    detached: true,
    cleanup: false,
    buffer: false,
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
  });
  const pgid = subprocess.pid ?? null;
  const processes = new StepProcesses(marker, pgid ?? undefined);
  processes.startTracking();

  let reason: StopReason | undefined;
  let over = false;
  let stop: (why: StopReason) => void = () => undefined;
  const stopped = new Promise<StopReason>((resolve) => {
    stop = (why) => {
      if (over || reason || pgid === null) return;
      reason = why;
      resolve(why);
    };
  });
  const wallClock = setTimeout(() => stop('timeout'), request.timeoutMs);
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (request.idleTimeoutMs === null || over || reason) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop('idle'), request.idleTimeoutMs);
  };
  armIdle();
  const onAbort = () => stop('cancel');
  request.signal?.addEventListener('abort', onAbort);
  if (request.signal?.aborted) onAbort();

  const flow: PipeFlow = { lastActivity: performance.now(), pending: 0 };
  const pipes = Promise.all([
    pump(subprocess.stdout, flow, (chunk) => {
      armIdle();
      return request.onOutput('stdout', chunk);
    }),
    pump(subprocess.stderr, flow, (chunk) => {
      armIdle();
      return request.onOutput('stderr', chunk);
    }),
  ]);
  const exited = new Promise<'exit'>((resolve) => subprocess.nodeChildProcess.once('exit', () => resolve('exit')));
  if (pgid !== null) request.onSpawn?.(pgid);

  const ending = pgid === null ? 'exit' : await Promise.race([exited, stopped]);
  over = true;
  clearTimeout(wallClock);
  clearTimeout(idleTimer);
  request.signal?.removeEventListener('abort', onAbort);
  if (ending === 'exit') await settle(pipes, PIPE_SETTLE_MS);
  await processes.end(request.graceMs);
  const pipesAbandoned = !(await drain(pipes, flow));
  if (pipesAbandoned) {
    subprocess.stdout?.destroy();
    subprocess.stderr?.destroy();
  }
  processes.stopTracking();
  const [result] = await Promise.all([subprocess, pipes]);

  const spawnError = result.failed && result.exitCode === undefined && !result.signal ? (result.cause as Error) : null;
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    durationMs: Math.round(performance.now() - started),
    timedOut: reason === 'timeout' || reason === 'idle',
    idleTimedOut: reason === 'idle',
    canceled: reason === 'cancel',
    pgid,
    spawnError: spawnError ?? null,
    pipesAbandoned,
  };
}

interface PipeFlow {
  lastActivity: number;
  /** Chunks the consumer has not finished with; the pipes are busy, not stuck, meanwhile. */
  pending: number;
}

// Reads a stream to its end, pausing while the consumer's promise is pending. Resolves, never
// rejects: a stream that errs or is destroyed is simply over.
function pump(
  readable: Readable | null,
  flow: PipeFlow,
  onChunk: (chunk: Buffer) => void | Promise<void>,
): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!readable) return resolve();
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
    readable.once('end', resolve);
    readable.once('close', resolve);
    readable.once('error', () => resolve());
  });
}

// True when the pipes closed; false when they stayed open with nothing coming through them for
// PIPE_SETTLE_MS (a process out of reach holds them), or for PIPE_DRAIN_LIMIT_MS in all.
async function drain(pipes: Promise<unknown>, flow: PipeFlow): Promise<boolean> {
  const start = performance.now();
  for (;;) {
    if (await settle(pipes, PIPE_SETTLE_MS / 5)) return true;
    const now = performance.now();
    if (now - start >= PIPE_DRAIN_LIMIT_MS) return false;
    if (flow.pending === 0 && now - Math.max(start, flow.lastActivity) >= PIPE_SETTLE_MS) return false;
  }
}

// True when the promise settled within the time allowed.
async function settle(promise: Promise<unknown>, milliseconds: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), milliseconds);
  });
  const outcome = await Promise.race([promise.then(() => true as const), timedOut]);
  clearTimeout(timer);
  return outcome;
}
