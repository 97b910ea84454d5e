import { PassThrough, Writable } from 'node:stream';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import type { WebSocket } from 'ws';
import type { OutputStream } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { clientNode } from '../kube/client-node.ts';
import { encodeRemoteValues, remoteCommand } from './remote-program.ts';
import type { ProcessRequest, ProcessResult } from './run-process.ts';
import type { StepExecutor } from './step-executor.ts';

type StopReason = 'timeout' | 'idle' | 'cancel';

// target="pod": the step runs in the container through pods/exec (WebSocket, v5 channels) with
// the run's pinned kubeconfig. The values go in on stdin, which stays open while the step runs:
// its end (Cancel, a timeout, the socket gone) makes the remote program kill the script.
export const podExecutor: StepExecutor = {
  target: 'pod',
  run: runInPod,
};

async function runInPod(request: ProcessRequest): Promise<ProcessResult> {
  const started = performance.now();
  const remote = request.remote;
  if (remote?.target.kind !== 'pod' || remote.target.pod === undefined) {
    throw new RunnerError('BAD_REQUEST', 'a pod step needs the pod it runs in');
  }
  const { namespace, pod } = remote.target;
  const config = new (clientNode().KubeConfig)();
  try {
    config.loadFromFile(request.env.KUBECONFIG ?? '');
  } catch (error) {
    return failedStart(started, error);
  }
  let container: string;
  try {
    container = remote.target.container ?? (await defaultContainer(config, namespace, pod));
  } catch (error) {
    return failedStart(started, error);
  }
  let reason: StopReason | undefined;
  // Without a shell there is no remote watcher to read stdin: a stop closes the stream instead.
  const stdin = remote.argv ? null : new PassThrough();
  let socket: WebSocket | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let ended = false;
  const stop = (why: StopReason) => {
    if (ended || reason) return;
    reason = why;
    // Ending stdin makes the remote watcher kill the script, whose status then ends the exec;
    // after the grace period the socket is closed anyway, then dropped.
    if (stdin && !stdin.writableEnded) stdin.end();
    else socket?.close();
    setTimeout(() => socket?.close(), request.graceMs).unref();
    setTimeout(() => socket?.terminate(), 2 * request.graceMs).unref();
  };
  const armIdle = () => {
    if (request.idleTimeoutMs === null || ended || reason) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop('idle'), request.idleTimeoutMs);
  };
  const stdout = forwardTo('stdout', request.onOutput, armIdle);
  const stderr = forwardTo('stderr', request.onOutput, armIdle);
  let status: V1Status | null = null;
  const wallClock = setTimeout(() => stop('timeout'), request.timeoutMs);
  const onAbort = () => stop('cancel');
  request.signal?.addEventListener('abort', onAbort);
  if (request.signal?.aborted) onAbort();
  armIdle();
  try {
    socket = await new (clientNode().Exec)(config).exec(
      namespace,
      pod,
      container,
      remote.argv ?? remoteCommand(remote.rendered),
      stdout,
      stderr,
      stdin,
      false,
      (answer) => {
        status = answer;
      },
    );
    if (reason) socket.close();
    stdin?.write(encodeRemoteValues(remote.rendered.variables, remote.values));
    await new Promise<void>((resolve) => socket?.once('close', () => resolve()));
  } catch (error) {
    if (!reason) return finish(failedStart(started, error));
  }
  return finish({
    exitCode: exitCodeOf(status),
    signal: null,
    durationMs: Math.round(performance.now() - started),
    timedOut: reason === 'timeout' || reason === 'idle',
    idleTimedOut: reason === 'idle',
    canceled: reason === 'cancel',
    pgid: null,
    spawnError: status === null && !reason ? new Error('the exec stream ended without a status') : null,
  });

  async function finish(result: ProcessResult): Promise<ProcessResult> {
    ended = true;
    clearTimeout(wallClock);
    clearTimeout(idleTimer);
    request.signal?.removeEventListener('abort', onAbort);
    stdin?.destroy();
    for (const stream of [stdout, stderr]) if (!stream.writableEnded) stream.end();
    await Promise.all([settled(stdout), settled(stderr)]);
    return result;
  }
}

// kubectl's rule: the default-container annotation, else the pod's first container.
async function defaultContainer(config: KubeConfig, namespace: string, name: string): Promise<string> {
  const pod = await config.makeApiClient(clientNode().CoreV1Api).readNamespacedPod({ namespace, name });
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  const first = pod.spec?.containers[0]?.name;
  if (annotated ?? first) return (annotated ?? first) as string;
  throw new RunnerError('BAD_REQUEST', `pod ${namespace}/${name} has no container`);
}

function exitCodeOf(status: V1Status | null): number | null {
  if (status === null) return null;
  if (status.status === 'Success') return 0;
  const code = status.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message;
  return code === undefined ? null : Number(code);
}

function forwardTo(stream: OutputStream, onOutput: ProcessRequest['onOutput'], onActivity: () => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      onActivity();
      Promise.resolve(onOutput(stream, chunk)).then(() => callback(), callback);
    },
  });
}

function settled(stream: Writable): Promise<void> {
  if (stream.writableFinished || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('finish', resolve);
    stream.once('error', () => resolve());
  });
}

function failedStart(started: number, error: unknown): ProcessResult {
  return {
    exitCode: null,
    signal: null,
    durationMs: Math.round(performance.now() - started),
    timedOut: false,
    idleTimedOut: false,
    canceled: false,
    pgid: null,
    spawnError: error instanceof Error ? error : new Error(String(error)),
  };
}
