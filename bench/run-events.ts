import http from 'node:http';
import type { RunEventRecord } from '../protocol/index.ts';
import type { RunnerHandle } from '../test/helpers/runner-process.ts';

type Waiter = { until: (record: RunEventRecord) => boolean; resolve: () => void };

// One Server-Sent Events connection to a run, kept open as the runner's page keeps it, with the
// time each record arrived (performance.now(), in ms since performance.timeOrigin).
export class RunEvents {
  readonly #request: http.ClientRequest;
  readonly #waiters = new Set<Waiter>();
  readonly #onRecord: (record: RunEventRecord, arrivedAt: number) => void;

  constructor(runner: RunnerHandle, runId: string, onRecord: (record: RunEventRecord, arrivedAt: number) => void) {
    this.#onRecord = onRecord;
    let buffer = '';
    this.#request = http.request(
      {
        host: '127.0.0.1',
        port: runner.port,
        path: `/api/runs/${runId}/events`,
        headers: { host: `127.0.0.1:${runner.port}`, 'x-drillbook-token': runner.token },
        setHost: false,
      },
      (response) => {
        response.on('data', (chunk: Buffer) => {
          const arrivedAt = performance.now();
          buffer += chunk.toString();
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const data = buffer
              .slice(0, end)
              .split('\n')
              .find((line) => line.startsWith('data: '));
            buffer = buffer.slice(end + 2);
            if (data) this.#deliver(JSON.parse(data.slice(6)) as RunEventRecord, arrivedAt);
          }
        });
      },
    );
    this.#request.on('error', () => undefined);
    this.#request.end();
  }

  // Resolves at the first record from now on that `until` accepts.
  waitFor(until: (record: RunEventRecord) => boolean): Promise<void> {
    return new Promise((resolve) => this.#waiters.add({ until, resolve }));
  }

  close(): void {
    this.#request.destroy();
  }

  #deliver(record: RunEventRecord, arrivedAt: number): void {
    this.#onRecord(record, arrivedAt);
    for (const waiter of this.#waiters) {
      if (!waiter.until(record)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }
}

export const stepFinished =
  (stepId: string, attempt?: number) =>
  ({ event }: RunEventRecord): boolean =>
    event.type === 'step-finished' && event.stepId === stepId && (attempt === undefined || event.attempt === attempt);
