import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { Manifest, RunEventRecord } from '../../protocol/index.ts';
import { compileRunbooks } from '../../site/compiler/compile-runbooks.ts';
import { FIXTURES, ROOT } from './fixtures.ts';
import { tempDir } from './run-script.ts';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => unknown;
}

// A runner a test talks to over HTTP, wherever it runs (its own process, or the test's).
export interface RunnerApi {
  port: number;
  token: string;
  stateDir: string;
  logs: () => string;
  manifest: Manifest;
  /** A request as the runner's own page makes it (right Host, Origin, token and JSON). */
  api: (method: string, urlPath: string, body?: unknown) => Promise<HttpResult>;
  raw: (options: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: string;
  }) => Promise<HttpResult>;
  stop: () => Promise<void>;
}

// Compiles a folder of fixture runbooks into a manifest file (no site build needed).
export async function fixtureManifest(folder = 'runner-runbooks'): Promise<{ file: string; manifest: Manifest }> {
  const { manifest, diagnostics } = await compileRunbooks(path.join(FIXTURES, folder), ROOT);
  if (diagnostics.length > 0) throw new Error(JSON.stringify(diagnostics));
  const file = path.join(await tempDir('drillbook-manifest-'), 'manifest.json');
  await writeFile(file, JSON.stringify(manifest));
  return { file, manifest };
}

// The given manifest file, or the fixture runbooks compiled into one.
export async function manifestFor(manifestFile?: string): Promise<{ file: string; manifest: Manifest }> {
  if (!manifestFile) return fixtureManifest();
  return { file: manifestFile, manifest: JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest };
}

// The page's two ways of asking: `api` as the page does, `raw` with the headers given.
export function clientFor(port: number, token: string): Pick<RunnerApi, 'api' | 'raw'> {
  const raw: RunnerApi['raw'] = (request) => httpRequest(port, request);
  const api: RunnerApi['api'] = (method, urlPath, body) =>
    raw({
      method,
      path: urlPath,
      headers: {
        host: `127.0.0.1:${port}`,
        origin: `http://127.0.0.1:${port}`,
        'x-drillbook-token': token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { api, raw };
}

export function httpRequest(
  port: number,
  request: { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers, setHost: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, json: () => JSON.parse(body) });
        });
      },
    );
    outgoing.on('error', reject);
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
}

export function stepHash(handle: RunnerApi, stepId: string, slug = 'runner-fixture'): string {
  const runbooks = handle.manifest.runbooks;
  const named = runbooks.find((runbook) => runbook.slug === slug) ?? runbooks[0];
  const step = named?.steps.find((item) => item.id === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return step.hash;
}

// Follows a run's event stream until `until` returns true for the records seen so far.
export function followEvents(
  handle: RunnerApi,
  runId: string,
  until: (records: RunEventRecord[]) => boolean,
  options: { lastEventId?: number; timeoutMs?: number; onChunk?: (text: string) => void } = {},
): Promise<RunEventRecord[]> {
  return new Promise((resolve, reject) => {
    const records: RunEventRecord[] = [];
    let buffer = '';
    const request = http.request(
      {
        host: '127.0.0.1',
        port: handle.port,
        path: `/api/runs/${runId}/events`,
        headers: {
          host: `127.0.0.1:${handle.port}`,
          'x-drillbook-token': handle.token,
          ...(options.lastEventId ? { 'last-event-id': String(options.lastEventId) } : {}),
        },
        setHost: false,
      },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`event stream answered ${response.statusCode}`));
        response.on('data', (chunk: Buffer) => {
          const text = chunk.toString();
          options.onChunk?.(text);
          buffer += text;
          let boundary = buffer.indexOf('\n\n');
          while (boundary !== -1) {
            const message = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const data = message.split('\n').find((line) => line.startsWith('data: '));
            if (data) records.push(JSON.parse(data.slice(6)) as RunEventRecord);
            boundary = buffer.indexOf('\n\n');
          }
          if (until(records)) {
            clearTimeout(timer);
            request.destroy();
            resolve(records);
          }
        });
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`timed out following events; saw ${records.map((record) => record.event.type).join(', ')}`));
    }, options.timeoutMs ?? 20_000);
    request.on('error', (error) => {
      if (!(error as NodeJS.ErrnoException).code?.includes('ECONNRESET')) reject(error);
    });
    request.end();
  });
}

export const finished =
  (stepId: string, attempt = 1) =>
  (records: RunEventRecord[]) =>
    records.some(({ event }) => event.type === 'step-finished' && event.stepId === stepId && event.attempt === attempt);

// Runs a step of a run through the API (its first attempt), doing `whileRunning` meanwhile, and
// answers the step's records once it finished.
export async function runStepRecords(
  handle: RunnerApi,
  runId: string,
  slug: string,
  stepId: string,
  whileRunning?: () => Promise<void>,
): Promise<RunEventRecord[]> {
  const started = await handle.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
    stepHash: stepHash(handle, stepId, slug),
  });
  if (started.status !== 202) throw new Error(`running ${stepId} answered ${started.status}: ${started.body}`);
  const records = followEvents(handle, runId, finished(stepId), { timeoutMs: 30_000 });
  await whileRunning?.();
  return (await records).filter(({ event }) => 'stepId' in event && event.stepId === stepId);
}

export const outputOfRecords = (records: RunEventRecord[]): string =>
  records.map(({ event }) => (event.type === 'output' ? event.text : '')).join('');

export const stepFinishOf = (records: RunEventRecord[]) =>
  records.find(({ event }) => event.type === 'step-finished')?.event;
