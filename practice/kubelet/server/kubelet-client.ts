import https from 'node:https';
import type { V1PodList } from '@kubernetes/client-node';
import { EXEC_CHANNELS } from './exec-stream.ts';

export interface KubeletTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The final v1 Status (Success, or Failure with the exit code or the reason it could not start). */
  status: { status: string; message?: string; reason?: string; details?: { causes?: { message: string }[] } };
  exitCode: number;
}

// Reads the exec endpoint's frames (exec-stream.ts) into stdout, stderr and the final status: the
// side the API server's pods/exec proxy will take, and what the tests use.
export function execInContainer(
  kubeletUrl: string,
  tls: KubeletTls,
  target: { namespace: string; pod: string; container: string },
  argv: string[],
  stdin?: string,
): Promise<ExecResult> {
  const query = new URLSearchParams(argv.map((arg) => ['command', arg]));
  if (stdin !== undefined) query.set('input', '1');
  const url = `${kubeletUrl}/exec/${target.namespace}/${target.pod}/${target.container}?${query}`;
  return new Promise((resolve, reject) => {
    const request = https.request(url, { ...tls, method: 'POST', agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200)
          return reject(new Error(`exec answered ${response.statusCode}: ${Buffer.concat(chunks)}`));
        resolve(decodeExecFrames(Buffer.concat(chunks)));
      });
    });
    request.on('error', reject);
    request.end(stdin ?? '');
  });
}

export function decodeExecFrames(body: Buffer): ExecResult {
  const out: Record<number, Buffer[]> = { 1: [], 2: [], 3: [] };
  for (let offset = 0; offset + 5 <= body.length; ) {
    const channel = body.readUInt8(offset);
    const length = body.readUInt32BE(offset + 1);
    out[channel]?.push(body.subarray(offset + 5, offset + 5 + length));
    offset += 5 + length;
  }
  const status = JSON.parse(Buffer.concat(out[EXEC_CHANNELS.status] ?? []).toString() || '{"status":"Failure"}');
  const code = status.status === 'Success' ? 0 : Number(status.details?.causes?.[0]?.message ?? 1);
  return {
    stdout: Buffer.concat(out[EXEC_CHANNELS.stdout] ?? []).toString(),
    stderr: Buffer.concat(out[EXEC_CHANNELS.stderr] ?? []).toString(),
    status,
    exitCode: Number.isNaN(code) ? 1 : code,
  };
}

// GET /containerLogs: the body, or the kubelet's refusal as an error.
export function readContainerLog(
  kubeletUrl: string,
  tls: KubeletTls,
  target: { namespace: string; pod: string; container: string },
  options: { previous?: boolean; tailLines?: number } = {},
): Promise<{ status: number; body: string }> {
  const query = new URLSearchParams();
  if (options.previous) query.set('previous', 'true');
  if (options.tailLines !== undefined) query.set('tailLines', String(options.tailLines));
  const url = `${kubeletUrl}/containerLogs/${target.namespace}/${target.pod}/${target.container}?${query}`;
  return new Promise((resolve, reject) => {
    https
      .get(url, { ...tls, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      })
      .on('error', reject);
  });
}

// GET /pods: the pods this kubelet runs, with their status, as the kubelet reports them.
export function listKubeletPods(kubeletUrl: string, tls: KubeletTls): Promise<V1PodList> {
  return new Promise((resolve, reject) => {
    https
      .get(`${kubeletUrl}/pods`, { ...tls, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          if (response.statusCode !== 200)
            return reject(new Error(`GET /pods answered ${response.statusCode}: ${body}`));
          resolve(JSON.parse(body) as V1PodList);
        });
      })
      .on('error', reject);
  });
}
