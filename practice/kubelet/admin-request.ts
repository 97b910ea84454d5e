import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { PracticeLayout } from '../layout.ts';

export interface AdminResponse {
  status: number;
  body: string;
}

// One request to the API server as the cluster admin (for `practice up`'s own set-up steps).
export async function requestAsAdmin(
  layout: PracticeLayout,
  method: string,
  apiPath: string,
  body?: object,
): Promise<AdminResponse> {
  const [first] = layout.nodes;
  if (!first) throw new Error('the practice layout has no nodes');
  const tls = {
    ca: await readFile(first.files.caCert),
    cert: await readFile(layout.users.admin.cert),
    key: await readFile(layout.users.admin.key),
  };
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    const request = https.request(
      `${layout.apiServer.url}${apiPath}`,
      { ...tls, method, agent: false, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
