import { readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';

export interface ChartRepoServerOptions {
  servedDir: string;
  cert: Buffer;
  key: Buffer;
  log?: (line: string) => void;
}

const SERVED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(tgz|prov)$|^index\.yaml$/;
const CONTENT_TYPES: Record<string, string> = {
  '.yaml': 'application/x-yaml',
  '.tgz': 'application/gzip',
  '.prov': 'text/plain; charset=utf-8',
};

// An HTTPS server that answers as a static Helm repository does: GET or HEAD of index.yaml and
// of the chart packages beside it, nothing else. It never lists or leaves its folder.
export function createChartRepoServer(options: ChartRepoServerOptions): https.Server {
  const log = options.log ?? (() => {});
  return https.createServer({ cert: options.cert, key: options.key }, (request, response) => {
    const method = request.method ?? 'GET';
    const name = decodeName(request.url ?? '/');
    const finish = (status: number, body: Buffer | string, type = 'text/plain; charset=utf-8') => {
      log(`${method} ${request.url} ${status}`);
      response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      response.end(method === 'HEAD' ? undefined : body);
    };
    if (method !== 'GET' && method !== 'HEAD') return finish(405, 'method not allowed\n');
    if (name === null || !SERVED_NAME.test(name)) return finish(404, 'not found\n');
    readFile(path.join(options.servedDir, name)).then(
      (body) => finish(200, body, CONTENT_TYPES[path.extname(name)]),
      () => finish(404, 'not found\n'),
    );
  });
}

function decodeName(url: string): string | null {
  try {
    const pathname = decodeURIComponent(new URL(url, 'https://repo.invalid').pathname);
    const name = pathname.replace(/^\/+/, '');
    return name.includes('/') ? null : name;
  } catch {
    return null;
  }
}
