import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Kubelet } from '../kubelet.ts';
import { containerLogFile, LogRequestError, sendContainerLog } from './container-logs.ts';
import { streamExec } from './exec-stream.ts';

export interface KubeletServerOptions {
  certFile: string;
  keyFile: string;
  clientCaFile: string;
}

// The kubelet's HTTPS API on <node address>:10250, for the API server to proxy pods/log and
// pods/exec to (README.md, "Kubelet API"):
//   GET  /healthz
//   GET  /pods                                              the pods this kubelet runs
//   GET  /containerLogs/<ns>/<pod>/<container>?tailLines=&previous=&limitBytes=&follow=
//   POST /exec/<ns>/<pod>/<container>?command=…&command=…&input=1   (framed stream, exec-stream.ts)
// Every path but /healthz needs a client certificate from the cluster CA with O=system:masters
// (kubeadm's apiserver-kubelet-client certificate, or the admin's).
export function createKubeletServer(kubelet: Kubelet, options: KubeletServerOptions): https.Server {
  return https.createServer(
    {
      cert: readFileSync(options.certFile),
      key: readFileSync(options.keyFile),
      ca: readFileSync(options.clientCaFile),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (request, response) => {
      handle(kubelet, request, response).catch((error: unknown) => {
        const status = error instanceof LogRequestError ? error.status : 500;
        if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/plain' });
        response.end((error as Error).message);
      });
    },
  );
}

function isAuthorized(request: IncomingMessage): boolean {
  const socket = request.socket as TLSSocket;
  if (!socket.authorized) return false;
  const organization = socket.getPeerCertificate()?.subject?.O;
  const groups = Array.isArray(organization) ? organization : [organization];
  return groups.includes('system:masters');
}

async function handle(kubelet: Kubelet, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'https://kubelet');
  if (url.pathname === '/healthz') return void response.end('ok');
  if (!isAuthorized(request)) {
    response.writeHead((request.socket as TLSSocket).authorized ? 403 : 401);
    return void response.end('Unauthorized');
  }
  if (url.pathname === '/pods') {
    response.writeHead(200, { 'content-type': 'application/json' });
    const items = kubelet.workers.map((worker) => ({ ...worker.pod, status: worker.status() }));
    return void response.end(JSON.stringify({ apiVersion: 'v1', kind: 'PodList', metadata: {}, items }));
  }
  const [, kind, namespace, podName, container] = url.pathname.split('/').map(decodeURIComponent);
  const worker = namespace && podName ? kubelet.findWorker(namespace, podName) : undefined;
  if ((kind !== 'containerLogs' && kind !== 'exec') || !worker) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    return void response.end(`pod "${podName ?? ''}" not found on this node`);
  }
  const query = url.searchParams;
  if (kind === 'containerLogs') {
    const number = (name: string) => (query.has(name) ? Number(query.get(name)) : null);
    const logQuery = {
      container,
      previous: query.get('previous') === 'true',
      tailLines: number('tailLines'),
      limitBytes: number('limitBytes'),
      follow: query.get('follow') === 'true',
    };
    return sendContainerLog(containerLogFile(worker, logQuery), logQuery, worker, response);
  }
  if (request.method !== 'POST') {
    response.writeHead(405);
    return void response.end('exec needs POST');
  }
  const runner = worker.runner(container);
  const argv = query.getAll('command');
  const child = runner ? runner.exec(argv) : { error: `container ${container} is not valid for pod ${podName}` };
  streamExec(child, request, response, query.get('input') === '1' || query.get('stdin') === 'true');
}
