// Types only: the page carries no schema library, to stay small (see npm run bench).
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { RunEventRecord, RunSummary, RunView } from '../../protocol/index.ts';
import { ApiError, readApiError } from './api-error.ts';
import { reportRunnerState } from './runner-status.ts';

export { ApiError } from './api-error.ts';

const PROBE_EVERY_MS = 2000;

// Talks to the runner: every request carries the token header; bodies are JSON. Every answer (or
// its absence) tells the page-wide banner whether the runner answers and knows this page's key.
export class RunnerApi {
  readonly #token: string;
  #probing = false;

  constructor(token: string) {
    this.#token = token;
  }

  async #send(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`/api${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), 'x-drillbook-token': this.#token },
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      reportRunnerState('unreachable');
      void this.#probeUntilAnswered();
      throw new ApiError(0, 'UNREACHABLE', `the runner is not answering at ${location.origin}`);
    }
    if (response.ok) {
      reportRunnerState('answering');
      return response;
    }
    const error = await readApiError(response);
    reportRunnerState(error.code === 'UNAUTHORIZED' ? 'wrong-key' : 'answering');
    throw error;
  }

  // While the runner does not answer, asks again now and then, so the banner goes when it is back.
  async #probeUntilAnswered(): Promise<void> {
    if (this.#probing) return;
    this.#probing = true;
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
        try {
          await this.#send('/runbooks');
          return;
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== 'UNREACHABLE') return;
        }
      }
    } finally {
      this.#probing = false;
    }
  }

  #request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async get<T>(path: string): Promise<T> {
    return (await this.#request('GET', path)).json() as Promise<T>;
  }

  async post<T = void>(path: string, body: unknown = {}): Promise<T> {
    const response = await this.#request('POST', path, body);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  // One key per click: a request the browser or a proxy sends again does not run the step twice.
  async runStep(
    runId: string,
    stepId: string,
    stepHash: string,
    choices: { confirmCluster?: string | undefined; pod?: string | undefined } = {},
  ): Promise<{ attempt: number }> {
    const { confirmCluster, pod } = choices;
    const response = await this.#request(
      'POST',
      `/runs/${runId}/steps/${stepId}/run`,
      { stepHash, ...(confirmCluster === undefined ? {} : { confirmCluster }), ...(pod === undefined ? {} : { pod }) },
      { 'idempotency-key': crypto.randomUUID() },
    );
    return (await response.json()) as { attempt: number };
  }

  run(runId: string): Promise<RunView> {
    return this.get(`/runs/${runId}`);
  }

  runs(): Promise<RunSummary[]> {
    return this.get('/runs');
  }

  async blob(path: string): Promise<Blob> {
    return (await this.#request('GET', path)).blob();
  }

  // Follows a run's events (Server-Sent Events read with fetch, so the token travels in a header),
  // reconnecting from the last event seen until `signal` aborts. A refusal (a wrong key, a run that
  // is gone) ends it with that error; a runner that does not answer is retried, under the banner.
  async follow(
    runId: string,
    onRecord: (record: RunEventRecord) => void,
    signal: AbortSignal,
    after = 0,
  ): Promise<void> {
    let lastSeen = after;
    while (!signal.aborted) {
      try {
        const response = await this.#send(`/runs/${runId}/events`, {
          headers: lastSeen > 0 ? { 'last-event-id': String(lastSeen) } : {},
          signal,
        });
        if (!response.body) throw new ApiError(response.status, 'STREAM', 'the event stream was refused');
        const events = response.body
          .pipeThrough(new TextDecoderStream())
          .pipeThrough(new EventSourceParserStream())
          .getReader();
        for (let next = await events.read(); !next.done; next = await events.read()) {
          const record = JSON.parse(next.value.data) as RunEventRecord;
          lastSeen = record.seq;
          onRecord(record);
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
