import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { killProcessesByMarker, MARKER_VARIABLE, terminateGroup } from './process-group.ts';

export type OutputStream = 'stdout' | 'stderr';

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
}

// Runs one step: bash with errexit and pipefail in its own process group, stdin closed. Ends
// with no process of the group left, whether the step finished, timed out or was canceled.
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
  if (pgid !== null) request.onSpawn?.(pgid);

  let reason: 'timeout' | 'idle' | 'cancel' | undefined;
  let termination: Promise<void> | undefined;
  const terminate = (why: 'timeout' | 'idle' | 'cancel') => {
    if (reason || pgid === null) return;
    reason = why;
    termination = terminateGroup(pgid, request.graceMs);
  };
  const wallClock = setTimeout(() => terminate('timeout'), request.timeoutMs);
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (request.idleTimeoutMs === null) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => terminate('idle'), request.idleTimeoutMs);
  };
  armIdle();
  const onAbort = () => terminate('cancel');
  if (request.signal?.aborted) onAbort();
  request.signal?.addEventListener('abort', onAbort);

  // When bash exits, whatever it left behind in its group goes too, so its pipes close.
  subprocess.nodeChildProcess.once('exit', () => {
    if (pgid !== null && !termination) termination = terminateGroup(pgid, request.graceMs);
  });

  const pump = (stream: OutputStream, readable: Readable | null) =>
    new Promise<void>((resolve) => {
      if (!readable) return resolve();
      readable.on('data', (chunk: Buffer) => {
        armIdle();
        const pending = request.onOutput(stream, chunk);
        if (pending) {
          readable.pause();
          pending.finally(() => readable.resume());
        }
      });
      readable.once('end', resolve);
      readable.once('error', () => resolve());
    });

  const [result] = await Promise.all([
    subprocess,
    pump('stdout', subprocess.stdout),
    pump('stderr', subprocess.stderr),
  ]);
  clearTimeout(wallClock);
  clearTimeout(idleTimer);
  request.signal?.removeEventListener('abort', onAbort);
  await termination;
  if (reason) await killProcessesByMarker(marker);

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
  };
}
