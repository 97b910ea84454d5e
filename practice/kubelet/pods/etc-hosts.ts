import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1Endpoints, V1Pod, V1Service } from '@kubernetes/client-node';

export const CLUSTER_DOMAIN = 'cluster.local';

/** What a pod's /etc/hosts is made from: the objects of its namespace. */
export interface NamespaceNames {
  pods: V1Pod[];
  services: V1Service[];
  endpoints: V1Endpoints[];
}

const PREAMBLE = `# Kubernetes-managed hosts file (Drillbook's kubelet: cluster DNS as hosts entries).
127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
fe00::0\tip6-localnet
fe00::0\tip6-mcastprefix
fe00::1\tip6-allnodes
fe00::2\tip6-allrouters
`;

// Where the kubelet keeps a pod's hosts file, bind-mounted at /etc/hosts in each container.
export function etcHostsFile(podsDir: string, uid: string): string {
  return path.join(podsDir, uid, 'etc-hosts');
}

// The practice cluster has no cluster DNS, so a pod's /etc/hosts carries the names it would
// resolve in its namespace: its own (kubelet writes that one too); each pod of a headless Service
// as <hostname>.<subdomain>.<ns>.svc.cluster.local (ready pods, or all of them with
// publishNotReadyAddresses, as CoreDNS answers); a headless Service's own name as its pods'
// addresses; and a Service with a ClusterIP as the address of one ready endpoint, since no
// kube-proxy routes ClusterIPs here (so its port must equal its targetPort to work).
export function renderEtcHosts(pod: V1Pod, podIP: string, names: NamespaceNames): string {
  const namespace = pod.metadata?.namespace ?? 'default';
  const lines = [PREAMBLE.trimEnd()];
  const hostname = pod.spec?.hostname ?? pod.metadata?.name ?? '';
  const ownSubdomain = pod.spec?.subdomain;
  lines.push(
    ownSubdomain
      ? `${podIP}\t${hostname}.${ownSubdomain}.${namespace}.svc.${CLUSTER_DOMAIN}\t${hostname}`
      : `${podIP}\t${hostname}`,
  );
  for (const service of names.services) {
    const name = service.metadata?.name ?? '';
    const serviceNames = qualifiedNames(`${name}.${namespace}`, name);
    if (service.spec?.clusterIP === 'None') {
      const members = names.pods.filter((member) => isPublished(member, service, name));
      for (const member of members) {
        const memberHost = member.spec?.hostname ?? member.metadata?.name ?? '';
        const address = member.status?.podIP as string;
        lines.push(`${address}\t${qualifiedNames(`${memberHost}.${name}.${namespace}`, `${memberHost}.${name}`)}`);
      }
      for (const member of members) lines.push(`${member.status?.podIP}\t${serviceNames}`);
    } else {
      const address = firstReadyAddress(names.endpoints.find((item) => item.metadata?.name === name));
      if (address) lines.push(`${address}\t${serviceNames}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function qualifiedNames(withNamespace: string, short: string): string {
  return [`${withNamespace}.svc.${CLUSTER_DOMAIN}`, `${withNamespace}.svc`, withNamespace, short].join(' ');
}

function isPublished(member: V1Pod, service: V1Service, serviceName: string): boolean {
  if (member.spec?.subdomain !== serviceName || !member.status?.podIP || member.metadata?.deletionTimestamp) {
    return false;
  }
  const selector = service.spec?.selector ?? {};
  const labels = member.metadata?.labels ?? {};
  if (!Object.entries(selector).every(([key, value]) => labels[key] === value)) return false;
  const ready = member.status?.conditions?.some(
    (condition) => condition.type === 'Ready' && condition.status === 'True',
  );
  return ready === true || service.spec?.publishNotReadyAddresses === true;
}

function firstReadyAddress(endpoints: V1Endpoints | undefined): string | undefined {
  return endpoints?.subsets?.flatMap((subset) => subset.addresses ?? [])[0]?.ip;
}

// Rewrites the file in place (same inode) and only when it changed: containers see it through a
// bind mount, which a rename would leave pointing at the old file.
export async function writeEtcHosts(file: string, content: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === content) return;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}
