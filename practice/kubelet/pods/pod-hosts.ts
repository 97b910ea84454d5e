// The pod's /etc/hosts, managed by the kubelet as Kubernetes does (`etc-hosts` in the pod's folder,
// bind-mounted over /etc/hosts), and standing in for cluster DNS, which the practice cluster does
// not run: every Endpoints address with a hostname is `<hostname>.<service>.<ns>.svc.cluster.local`
// (a StatefulSet member behind its headless service), and `<service>.<ns>.svc.cluster.local` is
// the service's first address, since cluster IPs are not routed here. Rewritten in place every 2 s.
import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { V1Endpoints, V1Pod } from '@kubernetes/client-node';

export const CLUSTER_DOMAIN = 'cluster.local';
const REFRESH_MS = 2000;

export type ListEndpoints = () => Promise<V1Endpoints[]>;

// The hosts file's text for a pod at podIP, given the cluster's Endpoints.
export function renderPodHosts(pod: V1Pod, podIP: string, endpoints: V1Endpoints[]): string {
  const namespace = pod.metadata?.namespace ?? 'default';
  const hostname = pod.spec?.hostname ?? pod.metadata?.name ?? '';
  const own = pod.spec?.subdomain
    ? `${hostname}.${pod.spec.subdomain}.${namespace}.svc.${CLUSTER_DOMAIN}\t${hostname}`
    : hostname;
  const lines = [
    '# Kubernetes-managed hosts file (practice cluster: also its cluster DNS).',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    `${podIP}\t${own}`,
  ];
  for (const alias of pod.spec?.hostAliases ?? []) lines.push(`${alias.ip}\t${(alias.hostnames ?? []).join('\t')}`);
  for (const item of endpoints) lines.push(...serviceLines(item));
  return `${lines.join('\n')}\n`;
}

function serviceLines(endpoints: V1Endpoints): string[] {
  const service = endpoints.metadata?.name ?? '';
  const namespace = endpoints.metadata?.namespace ?? 'default';
  const domain = `${service}.${namespace}.svc.${CLUSTER_DOMAIN}`;
  const addresses = (endpoints.subsets ?? []).flatMap((subset) => [
    ...(subset.addresses ?? []),
    ...(subset.notReadyAddresses ?? []),
  ]);
  const lines = addresses
    .filter((address) => address.hostname)
    .map((address) => `${address.ip}\t${address.hostname}.${domain}`);
  const first = (endpoints.subsets ?? []).flatMap((subset) => subset.addresses ?? [])[0] ?? addresses[0];
  if (first) lines.push(`${first.ip}\t${domain}\t${service}.${namespace}.svc`);
  return lines;
}

// Writes the file now, then keeps it current until the signal aborts; the same inode is rewritten,
// so the bind mount in every container sees each update.
export async function keepPodHosts(
  file: string,
  pod: V1Pod,
  podIP: string,
  listEndpoints: ListEndpoints,
  signal: AbortSignal,
): Promise<void> {
  let last = '';
  const refresh = async () => {
    const endpoints = await listEndpoints().catch(() => null);
    const text = renderPodHosts(pod, podIP, endpoints ?? []);
    if (text !== last && (endpoints || last === '')) {
      await writeFile(file, text);
      last = text;
    }
  };
  await refresh();
  void (async () => {
    while (!signal.aborted) {
      await delay(REFRESH_MS, undefined, { signal }).catch(() => undefined);
      if (!signal.aborted) await refresh().catch(() => undefined);
    }
  })();
}
