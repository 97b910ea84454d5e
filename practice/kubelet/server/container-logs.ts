import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { PodWorker } from '../pods/pod-worker.ts';

export interface LogQuery {
  container: string | undefined;
  previous: boolean;
  tailLines: number | null;
  limitBytes: number | null;
  follow: boolean;
}

export class LogRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

// The log file kubectl logs reads: the container's latest run (<restartCount>.log, which is the
// exited run while the container waits in back-off), or with previous the run before it.
export function containerLogFile(worker: PodWorker, query: LogQuery): string {
  const runner = worker.runner(query.container);
  const podName = worker.pod.metadata?.name ?? '';
  if (!runner) throw new LogRequestError(400, `container ${query.container} is not valid for pod ${podName}`);
  const name = runner.context.container.name;
  const restarts = runner.status.restartCount ?? 0;
  if (query.previous && restarts === 0) {
    throw new LogRequestError(400, `previous terminated container "${name}" in pod "${podName}" not found`);
  }
  if (!runner.status.state?.running && !runner.status.lastState?.terminated && !query.previous) {
    const reason = runner.status.state?.waiting?.reason ?? 'ContainerCreating';
    throw new LogRequestError(400, `container "${name}" in pod "${podName}" is waiting to start: ${reason}`);
  }
  return path.join(worker.logDir(name), `${query.previous ? restarts - 1 : restarts}.log`);
}

// Writes the log (its last tailLines lines, at most limitBytes), then with follow keeps sending
// what the running container appends until it exits or the client goes away.
export async function sendContainerLog(
  file: string,
  query: LogQuery,
  worker: PodWorker,
  response: ServerResponse,
): Promise<void> {
  const text = await readFile(file).catch(() => Buffer.alloc(0));
  let body = text;
  if (query.tailLines !== null) {
    const lines = text.toString('utf8').split(/(?<=\n)/);
    body = Buffer.from(query.tailLines === 0 ? '' : lines.slice(-query.tailLines).join(''));
  }
  if (query.limitBytes !== null) body = body.subarray(0, query.limitBytes);
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.write(body);
  if (!query.follow) return void response.end();
  let offset = text.length;
  const runner = worker.runner(query.container);
  const startedRun = runner?.status.containerID;
  while (!response.destroyed && runner?.status.containerID === startedRun && runner?.status.state?.running) {
    const size = await stat(file).then(
      (info) => info.size,
      () => offset,
    );
    if (size > offset) {
      await new Promise<void>((resolve) =>
        createReadStream(file, { start: offset, end: size - 1 })
          .on('end', () => resolve())
          .on('error', () => resolve())
          .pipe(response, { end: false }),
      );
      offset = size;
    }
    await delay(200);
  }
  response.end();
}
