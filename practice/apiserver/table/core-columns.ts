import type { KubeObject, PrinterColumn } from '../resources/resource-type.ts';
import { ageColumn, column, count, field, joinOrNone, nameColumn, selectorText, text } from './columns.ts';
import { ageOf } from './human-duration.ts';

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } };
}

// kubectl's STATUS for a pod: the waiting or terminated reason of a container, else the phase.
function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const statuses = (field(pod, 'status.containerStatuses') as ContainerStatus[] | undefined) ?? [];
  for (const status of statuses) {
    const reason = status.state?.waiting?.reason ?? status.state?.terminated?.reason;
    if (reason && reason !== 'Completed') return reason;
  }
  return String(field(pod, 'status.reason') ?? field(pod, 'status.phase') ?? 'Pending');
}

function podReady(pod: KubeObject): string {
  const containers = (field(pod, 'spec.containers') as unknown[] | undefined) ?? [];
  const statuses = (field(pod, 'status.containerStatuses') as ContainerStatus[] | undefined) ?? [];
  return `${statuses.filter((status) => status.ready).length}/${containers.length}`;
}

function podRestarts(pod: KubeObject): number {
  const statuses = (field(pod, 'status.containerStatuses') as ContainerStatus[] | undefined) ?? [];
  return statuses.reduce((sum, status) => sum + (status.restartCount ?? 0), 0);
}

interface ServicePort {
  port: number;
  protocol?: string;
  nodePort?: number;
}

function servicePorts(service: KubeObject): string {
  const ports = (field(service, 'spec.ports') as ServicePort[] | undefined) ?? [];
  if (ports.length === 0) return '<none>';
  return ports
    .map((port) => `${port.port}${port.nodePort ? `:${port.nodePort}` : ''}/${port.protocol ?? 'TCP'}`)
    .join(',');
}

interface EndpointSubset {
  addresses?: { ip: string }[];
  ports?: { port: number }[];
}

function endpointsText(endpoints: KubeObject): string {
  const subsets = (endpoints.subsets as EndpointSubset[] | undefined) ?? [];
  const pairs = subsets.flatMap((subset) =>
    (subset.addresses ?? []).flatMap((address) =>
      (subset.ports ?? [{ port: 0 }]).map((port) => (port.port ? `${address.ip}:${port.port}` : address.ip)),
    ),
  );
  if (pairs.length === 0) return '<none>';
  return pairs.length > 3 ? `${pairs.slice(0, 3).join(',')} + ${pairs.length - 3} more...` : pairs.join(',');
}

function nodeStatus(node: KubeObject): string {
  const conditions = (field(node, 'status.conditions') as { type: string; status: string }[] | undefined) ?? [];
  const ready = conditions.find((condition) => condition.type === 'Ready');
  const state = ready?.status === 'True' ? 'Ready' : 'NotReady';
  return field(node, 'spec.unschedulable') ? `${state},SchedulingDisabled` : state;
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((label) => label.startsWith('node-role.kubernetes.io/'))
    .map((label) => label.slice('node-role.kubernetes.io/'.length));
  return roles.length === 0 ? '<none>' : roles.sort().join(',');
}

const accessModes = (object: KubeObject, path: string) =>
  joinOrNone(
    ((field(object, path) as string[] | undefined) ?? []).map(
      (mode) =>
        ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[mode] ?? mode,
    ),
  );

export const CORE_COLUMNS: Record<string, PrinterColumn[]> = {
  pods: [
    nameColumn,
    column('Ready', podReady),
    column('Status', podStatus),
    column('Restarts', podRestarts, { type: 'integer' }),
    ageColumn,
    column('IP', text('status.podIP'), { priority: 1 }),
    column('Node', text('spec.nodeName'), { priority: 1 }),
    column('Nominated Node', text('status.nominatedNodeName'), { priority: 1 }),
    column('Readiness Gates', () => '<none>', { priority: 1 }),
  ],
  services: [
    nameColumn,
    column('Type', text('spec.type', 'ClusterIP')),
    column('Cluster-IP', text('spec.clusterIP')),
    column('External-IP', (service) => joinOrNone((field(service, 'spec.externalIPs') as string[]) ?? [])),
    column('Port(s)', servicePorts),
    ageColumn,
    column('Selector', (service) => selectorText(field(service, 'spec.selector')), { priority: 1 }),
  ],
  endpoints: [nameColumn, column('Endpoints', endpointsText), ageColumn],
  namespaces: [nameColumn, column('Status', text('status.phase', 'Active')), ageColumn],
  secrets: [
    nameColumn,
    column('Type', text('type', 'Opaque')),
    column('Data', count('data'), { type: 'integer' }),
    ageColumn,
  ],
  configmaps: [
    nameColumn,
    column('Data', (object) => (count('data')(object) as number) + (count('binaryData')(object) as number), {
      type: 'integer',
    }),
    ageColumn,
  ],
  serviceaccounts: [nameColumn, column('Secrets', count('secrets'), { type: 'integer' }), ageColumn],
  events: [
    column('Last Seen', (event) => ageOf(event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp)),
    column('Type', text('type')),
    column('Reason', text('reason')),
    column(
      'Object',
      (event) => `${String(field(event, 'involvedObject.kind')).toLowerCase()}/${field(event, 'involvedObject.name')}`,
    ),
    column('Message', text('message', '')),
  ],
  nodes: [
    nameColumn,
    column('Status', nodeStatus),
    column('Roles', nodeRoles),
    ageColumn,
    column('Version', text('status.nodeInfo.kubeletVersion', '')),
    column(
      'Internal-IP',
      (node) => {
        const addresses = (field(node, 'status.addresses') as { type: string; address: string }[] | undefined) ?? [];
        return addresses.find((address) => address.type === 'InternalIP')?.address ?? '<none>';
      },
      { priority: 1 },
    ),
  ],
  persistentvolumes: [
    nameColumn,
    column('Capacity', text('spec.capacity.storage', '')),
    column('Access Modes', (pv) => accessModes(pv, 'spec.accessModes')),
    column('Reclaim Policy', text('spec.persistentVolumeReclaimPolicy', 'Retain')),
    column('Status', text('status.phase', 'Pending')),
    column('Claim', (pv) => {
      const ref = field(pv, 'spec.claimRef') as { namespace?: string; name?: string } | undefined;
      return ref?.name ? `${ref.namespace}/${ref.name}` : '';
    }),
    column('StorageClass', text('spec.storageClassName', '')),
    column('VolumeAttributesClass', text('spec.volumeAttributesClassName')),
    column('Reason', text('status.reason', '')),
    ageColumn,
  ],
  persistentvolumeclaims: [
    nameColumn,
    column('Status', text('status.phase', 'Pending')),
    column('Volume', text('spec.volumeName', '')),
    column('Capacity', text('status.capacity.storage', '')),
    column('Access Modes', (pvc) => accessModes(pvc, 'status.accessModes')),
    column('StorageClass', text('spec.storageClassName', '')),
    column('VolumeAttributesClass', text('spec.volumeAttributesClassName')),
    ageColumn,
  ],
};
