import { CLUSTER_COLUMNS } from '../table/cluster-columns.ts';
import { field } from '../table/columns.ts';
import { CORE_COLUMNS } from '../table/core-columns.ts';
import { ALL_VERBS, type KubeObject, type ResourceType } from './resource-type.ts';

interface KindOptions {
  group?: string;
  version?: string;
  namespaced?: boolean;
  shortNames?: string[];
  all?: boolean;
  storagePrefix?: string;
  status?: boolean;
  scale?: boolean;
  generation?: boolean;
  fieldLabels?: string[];
}

function kind(kindName: string, plural: string, options: KindOptions = {}): ResourceType {
  const group = options.group ?? '';
  const version = options.version ?? 'v1';
  return {
    group,
    version,
    kind: kindName,
    plural,
    singular: kindName.toLowerCase(),
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    categories: options.all ? ['all'] : [],
    verbs: ALL_VERBS,
    storagePrefix: options.storagePrefix ?? plural,
    model: `V1${kindName}`,
    subresources: { status: options.status ?? false, scale: options.scale ?? false },
    hasGeneration: options.generation ?? false,
    columns: CORE_COLUMNS[plural] ?? CLUSTER_COLUMNS[plural] ?? [],
    fieldLabels: Object.fromEntries(
      (options.fieldLabels ?? []).map((label) => [
        label,
        (object: KubeObject) => {
          const value = field(object, label);
          return value === undefined || value === null ? undefined : String(value);
        },
      ]),
    ),
  };
}

const apps = { group: 'apps', all: true, status: true, scale: true, generation: true };
const rbac = { group: 'rbac.authorization.k8s.io' };

// The kinds kube-apiserver serves that the practice cluster serves too, with kube's storage keys.
export const BUILTIN_KINDS: ResourceType[] = [
  kind('Pod', 'pods', {
    shortNames: ['po'],
    all: true,
    status: true,
    fieldLabels: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'status.phase',
      'status.podIP',
    ],
  }),
  kind('Service', 'services', { shortNames: ['svc'], all: true, status: true, storagePrefix: 'services/specs' }),
  kind('Endpoints', 'endpoints', { shortNames: ['ep'], storagePrefix: 'services/endpoints' }),
  kind('Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    status: true,
    fieldLabels: ['status.phase'],
  }),
  kind('Secret', 'secrets', { fieldLabels: ['type'] }),
  kind('ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  kind('ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  kind('Event', 'events', {
    shortNames: ['ev'],
    fieldLabels: [
      'involvedObject.kind',
      'involvedObject.name',
      'involvedObject.namespace',
      'involvedObject.uid',
      'reason',
      'type',
    ],
  }),
  kind('PersistentVolume', 'persistentvolumes', { namespaced: false, shortNames: ['pv'], status: true }),
  kind('PersistentVolumeClaim', 'persistentvolumeclaims', { shortNames: ['pvc'], status: true }),
  kind('Node', 'nodes', {
    namespaced: false,
    shortNames: ['no'],
    status: true,
    storagePrefix: 'minions',
    fieldLabels: ['spec.unschedulable'],
  }),
  kind('Deployment', 'deployments', { ...apps, shortNames: ['deploy'] }),
  kind('StatefulSet', 'statefulsets', { ...apps, shortNames: ['sts'] }),
  kind('DaemonSet', 'daemonsets', { ...apps, shortNames: ['ds'], scale: false }),
  kind('ReplicaSet', 'replicasets', { ...apps, shortNames: ['rs'] }),
  kind('Job', 'jobs', { group: 'batch', all: true, status: true, generation: true }),
  kind('CronJob', 'cronjobs', { group: 'batch', all: true, status: true, generation: true, shortNames: ['cj'] }),
  kind('StorageClass', 'storageclasses', { group: 'storage.k8s.io', namespaced: false, shortNames: ['sc'] }),
  kind('Role', 'roles', rbac),
  kind('ClusterRole', 'clusterroles', { ...rbac, namespaced: false }),
  kind('RoleBinding', 'rolebindings', rbac),
  kind('ClusterRoleBinding', 'clusterrolebindings', { ...rbac, namespaced: false }),
  kind('Lease', 'leases', { group: 'coordination.k8s.io' }),
  kind('CustomResourceDefinition', 'customresourcedefinitions', {
    group: 'apiextensions.k8s.io',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    status: true,
    generation: true,
    storagePrefix: 'apiextensions.k8s.io/customresourcedefinitions',
  }),
];
