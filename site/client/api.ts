// Types only: the page carries no schema library, to stay small (see npm run bench).
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type {
  ApiError as ApiErrorBody,
  ApiErrorCode,
  PageErrorCode,
  RunEventRecord,
  RunSummary,
  RunView,
} from '../../protocol/index.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | PageErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: ApiErrorCode | PageErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

// Talks to the runner: every request carries the token header; bodies are JSON.
export class RunnerApi {
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  async #request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const response = await fetch(`/api${path}`, {
      method,
      headers: {
        ...headers,
        'x-drillbook-token': this.#token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const error = (await response.json().catch(() => ({}))) as Partial<ApiErrorBody>;
      throw new ApiError(response.status, error.code ?? 'ERROR', error.message ?? response.statusText, error.details);
    }
    return response;
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
  // reconnecting from the last event seen until `signal` aborts.
  async follow(
    runId: string,
    onRecord: (record: RunEventRecord) => void,
    signal: AbortSignal,
    after = 0,
  ): Promise<void> {
    let lastSeen = after;
    while (!signal.aborted) {
      try {
        const response = await fetch(`/api/runs/${runId}/events`, {
          headers: { 'x-drillbook-token': this.#token, ...(lastSeen > 0 ? { 'last-event-id': String(lastSeen) } : {}) },
          signal,
        });
        if (!response.ok || !response.body)
          throw new ApiError(response.status, 'STREAM', 'the event stream was refused');
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
        if (error instanceof ApiError && error.status === 401) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
