import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { OutputStream, StepTarget } from '../../protocol/index.ts';
import { drainPipes, openOutputPipes, PIPE_SETTLE_MS, type PipeFlow, pumpPipe, settle } from './output-pipes.ts';
import { MARKER_VARIABLE } from './process-table.ts';
import type { RenderedScript } from './render-script.ts';
import { StepProcesses } from './step-processes.ts';

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
  /** What a remote executor (pod, node) needs to build its own program and values. */
  remote?: RemoteStep;
  /** Runs bash through this command (a practice node's shell), bash's argv appended. */
  wrapper?: { file: string; args: string[] };
  /** The program's positional parameters ($1…). */
  args?: string[];
  /** Returning a promise pauses the stream until it settles (backpressure). */
  onOutput: (stream: OutputStream, chunk: Buffer) => void | Promise<void>;
}

export interface RemoteStep {
  target: StepTarget;
  rendered: RenderedScript;
  values: ReadonlyMap<string, string>;
  /** A shell="none" step's argv, values filled in: run as is, with no shell and no stdin. */
  argv?: string[];
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

interface BashEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  spawnError: Error | null;
}

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
  const outputPipes = openOutputPipes();
  const subprocess = spawnBash(request, marker, outputPipes?.writeEnds ?? null);
  outputPipes?.release();
  const stdout = outputPipes?.stdout ?? subprocess.stdout;
  const stderr = outputPipes?.stderr ?? subprocess.stderr;
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

  const flow: PipeFlow = { lastActivity: performance.now(), pending: 0, ended: 0 };
  const pipes = Promise.all([
    pumpPipe(stdout, flow, (chunk) => {
      armIdle();
      return request.onOutput('stdout', chunk);
    }),
    pumpPipe(stderr, flow, (chunk) => {
      armIdle();
      return request.onOutput('stderr', chunk);
    }),
  ]);
  const exited = subprocess.ended.then(() => 'exit' as const);
  if (pgid !== null) request.onSpawn?.(pgid);

  const ending = pgid === null ? 'exit' : await Promise.race([exited, stopped]);
  over = true;
  clearTimeout(wallClock);
  clearTimeout(idleTimer);
  request.signal?.removeEventListener('abort', onAbort);
  if (ending === 'exit') await settle(pipes, PIPE_SETTLE_MS);
  const allEnded = await processes.end(request.graceMs, { pipesClosed: flow.ended === 2 });
  const pipesAbandoned = !(await drainPipes(pipes, flow, allEnded));
  if (pipesAbandoned) {
    stdout?.destroy();
    stderr?.destroy();
  }
  processes.stopTracking();
  const [result] = await Promise.all([subprocess.ended, pipes]);
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: Math.round(performance.now() - started),
    timedOut: reason === 'timeout' || reason === 'idle',
    idleTimedOut: reason === 'idle',
    canceled: reason === 'cancel',
    pgid,
    spawnError: result.spawnError,
    pipesAbandoned,
  };
}

// bash in its own session and process group, writing to the given pipes, or to Node's own; the
// values go in on fd 3. `ended` settles when bash exited or could not be started.
function spawnBash(request: ProcessRequest, marker: string, outputs: [number, number] | null) {
  let child: ChildProcess;
  try {
    const bash = ['bash', '--noprofile', '--norc', '-c', request.program, 'drillbook-step', ...(request.args ?? [])];
    const [file, ...args] = request.wrapper ? [request.wrapper.file, ...request.wrapper.args, ...bash] : bash;
    child = spawn(file as string, args, {
      cwd: request.cwd,
      env: { ...request.env, [MARKER_VARIABLE]: marker },
      detached: true,
      stdio: ['ignore', outputs?.[0] ?? 'pipe', outputs?.[1] ?? 'pipe', 'pipe'],
    });
  } catch (error) {
    // Some failures (E2BIG for an enormous script, say) are thrown rather than emitted.
    const spawnError = error instanceof Error ? error : new Error(String(error));
    return {
      pid: undefined,
      stdout: null,
      stderr: null,
      ended: Promise.resolve({ exitCode: null, signal: null, spawnError }),
    };
  }
  const values = child.stdio[3] as Writable;
  values.on('error', () => undefined);
  values.end(request.valuesPayload);
  const ended = new Promise<BashEnd>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal, spawnError: null }));
    child.on('error', (error) => {
      if (child.pid === undefined) resolve({ exitCode: null, signal: null, spawnError: error });
    });
  }).finally(() => values.destroy());
  return { pid: child.pid, stdout: child.stdout, stderr: child.stderr, ended };
}
