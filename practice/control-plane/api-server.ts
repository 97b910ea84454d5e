import { readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PracticeError } from '../errors.ts';
import { onNode, type PracticeLayout } from '../layout.ts';
import { readRunningDaemon, startDaemon } from '../process/daemon.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const API_SERVER_ENTRY = path.join(REPO_ROOT, 'practice', 'apiserver', 'main.ts');

// The API server's entry file; DRILLBOOK_PRACTICE_APISERVER replaces it (tests use a stand-in).
export function apiServerEntry(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.DRILLBOOK_PRACTICE_APISERVER ?? API_SERVER_ENTRY);
}

// kube-apiserver's own flag names, pointing at the first node's kubeadm certificates.
export function apiServerArgs(layout: PracticeLayout): string[] {
  const [first] = layout.nodes;
  if (!first) throw new Error('the practice layout has no nodes');
  const { files } = first;
  return [
    `--bind-address=${layout.apiServer.host}`,
    `--secure-port=${layout.apiServer.port}`,
    `--etcd-servers=${layout.nodes.map((node) => node.etcd.clientUrl).join(',')}`,
    `--etcd-cafile=${files.etcdCaCert}`,
    `--etcd-certfile=${files.apiServerEtcdClientCert}`,
    `--etcd-keyfile=${files.apiServerEtcdClientKey}`,
    `--tls-cert-file=${files.apiServerCert}`,
    `--tls-private-key-file=${files.apiServerKey}`,
    `--client-ca-file=${files.caCert}`,
    `--kubelet-client-certificate=${onNode(first.root, '/etc/kubernetes/pki/apiserver-kubelet-client.crt')}`,
    `--kubelet-client-key=${onNode(first.root, '/etc/kubernetes/pki/apiserver-kubelet-client.key')}`,
    `--kubelet-certificate-authority=${files.caCert}`,
    `--state-dir=${layout.root}`,
  ];
}

// Starts the API server on this same Node, unless it is already running.
export async function startApiServer(layout: PracticeLayout, env: NodeJS.ProcessEnv): Promise<void> {
  if (await readRunningDaemon(layout.apiServer.pidFile)) return;
  await startDaemon({
    file: process.execPath,
    args: [apiServerEntry(env), ...apiServerArgs(layout)],
    files: layout.apiServer,
    cwd: REPO_ROOT,
  });
}

// Waits for GET /readyz to answer 200, asked with the admin's client certificate.
export async function waitForApiServerReady(layout: PracticeLayout, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const credentials = await readAdminCredentials(layout);
  for (;;) {
    if (await isApiServerReady(layout, credentials)) return;
    if (!(await readRunningDaemon(layout.apiServer.pidFile))) {
      throw new PracticeError('START_TIMEOUT', `the API server exited; read ${layout.apiServer.logFile}`);
    }
    if (Date.now() >= deadline) {
      throw new PracticeError(
        'START_TIMEOUT',
        `the API server did not answer /readyz within ${timeoutMs / 1000} s; read ${layout.apiServer.logFile}`,
      );
    }
    await delay(100);
  }
}

interface TlsCredentials {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

async function readAdminCredentials(layout: PracticeLayout): Promise<TlsCredentials> {
  const [first] = layout.nodes;
  if (!first) throw new Error('the practice layout has no nodes');
  const [ca, cert, key] = await Promise.all([
    readFile(first.files.caCert),
    readFile(layout.users.admin.cert),
    readFile(layout.users.admin.key),
  ]);
  return { ca, cert, key };
}

export async function isApiServerReady(layout: PracticeLayout, credentials?: TlsCredentials): Promise<boolean> {
  const tls = credentials ?? (await readAdminCredentials(layout).catch(() => null));
  if (!tls) return false;
  return new Promise((resolve) => {
    const request = https.get(`${layout.apiServer.url}/readyz`, { ...tls, agent: false, timeout: 1000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode === 200));
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
