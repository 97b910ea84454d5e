import { readFileSync } from 'node:fs';
import { chmod, rename, writeFile } from 'node:fs/promises';
import type { Cluster, User } from '@kubernetes/client-node';
import YAML from 'yaml';
import type { ResolvedContext } from './resolve-context.ts';

const PINNED_CONTEXT = 'drillbook-pinned';

// A kubeconfig with one context, one cluster and one user, file references inlined (kubectl
// config view --minify --flatten), so whatever a step runs can reach only the pinned cluster.
// Exec plugins stay as they are: kubectl runs them as the operator would.
export function renderPinnedKubeconfig(resolved: ResolvedContext): string {
  const { identity } = resolved;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: identity.cluster, cluster: flattenCluster(resolved.cluster) }],
    users: [{ name: identity.user, user: flattenUser(resolved.user) }],
    contexts: [
      {
        name: PINNED_CONTEXT,
        context: { cluster: identity.cluster, user: identity.user, namespace: resolved.namespace },
      },
    ],
    'current-context': PINNED_CONTEXT,
    preferences: {},
  };
  return YAML.stringify(config);
}

// A kubeconfig with no cluster at all: what a run pinned to none gives its steps.
export function renderEmptyKubeconfig(): string {
  return YAML.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], preferences: {} });
}

// Writes the file whole (mode 0600), so a step never reads half of it.
export async function writeKubeconfigFile(file: string, text: string): Promise<void> {
  const partial = `${file}.partial`;
  await writeFile(partial, text, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, file);
}

function flattenCluster(cluster: Cluster): Record<string, unknown> {
  return dropEmpty({
    server: cluster.server,
    'certificate-authority-data': cluster.caData ?? inline(cluster.caFile),
    'insecure-skip-tls-verify': cluster.skipTLSVerify || undefined,
    'tls-server-name': cluster.tlsServerName,
    'proxy-url': cluster.proxyUrl,
  });
}

function flattenUser(user: User): Record<string, unknown> {
  return dropEmpty({
    'client-certificate-data': user.certData ?? inline(user.certFile),
    'client-key-data': user.keyData ?? inline(user.keyFile),
    token: user.token,
    exec: user.exec,
    'auth-provider': user.authProvider,
    username: user.username,
    password: user.password,
    as: user.impersonateUser,
  });
}

function inline(file: string | undefined): string | undefined {
  return file ? readFileSync(file).toString('base64') : undefined;
}

function dropEmpty(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== null));
}
