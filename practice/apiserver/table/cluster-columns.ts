import type { KubeObject, PrinterColumn } from '../resources/resource-type.ts';
import { ageColumn, column, createdAtColumn, field, int, nameColumn, selectorText, text } from './columns.ts';
import { ageOf } from './human-duration.ts';

const ready = (object: KubeObject, readyPath: string, wantedPath: string) =>
  `${Number(field(object, readyPath) ?? 0)}/${Number(field(object, wantedPath) ?? 0)}`;

function jobStatus(job: KubeObject): string {
  const conditions = (field(job, 'status.conditions') as { type: string; status: string }[] | undefined) ?? [];
  const holds = (type: string) =>
    conditions.some((condition) => condition.type === type && condition.status === 'True');
  if (holds('Complete')) return 'Complete';
  if (holds('Failed')) return 'Failed';
  if (holds('Suspended')) return 'Suspended';
  return 'Running';
}

function jobDuration(job: KubeObject): string {
  const start = field(job, 'status.startTime');
  if (typeof start !== 'string') return '';
  const end = field(job, 'status.completionTime');
  return ageOf(start, typeof end === 'string' ? Date.parse(end) : Date.now());
}

const containersOf = (object: KubeObject, templatePath: string) =>
  (field(object, `${templatePath}.spec.containers`) as { name?: string; image?: string }[] | undefined) ?? [];

// The wide columns of a kind with a pod template: its containers, their images, and the selector.
function templateColumns(templatePath: string, withSelector = true): PrinterColumn[] {
  const list = (key: 'name' | 'image') => (object: KubeObject) =>
    containersOf(object, templatePath)
      .map((container) => container[key] ?? '')
      .join(',');
  return [
    column('Containers', list('name'), { priority: 1 }),
    column('Images', list('image'), { priority: 1 }),
    ...(withSelector
      ? [column('Selector', (object: KubeObject) => selectorText(field(object, 'spec.selector')), { priority: 1 })]
      : []),
  ];
}

const roleRef = (binding: KubeObject) => `${field(binding, 'roleRef.kind')}/${field(binding, 'roleRef.name')}`;

export const CLUSTER_COLUMNS: Record<string, PrinterColumn[]> = {
  deployments: [
    nameColumn,
    column('Ready', (object) => ready(object, 'status.readyReplicas', 'spec.replicas')),
    column('Up-to-date', int('status.updatedReplicas'), { type: 'integer' }),
    column('Available', int('status.availableReplicas'), { type: 'integer' }),
    ageColumn,
    ...templateColumns('spec.template'),
  ],
  statefulsets: [
    nameColumn,
    column('Ready', (object) => ready(object, 'status.readyReplicas', 'spec.replicas')),
    ageColumn,
    ...templateColumns('spec.template', false),
  ],
  replicasets: [
    nameColumn,
    column('Desired', int('spec.replicas'), { type: 'integer' }),
    column('Current', int('status.replicas'), { type: 'integer' }),
    column('Ready', int('status.readyReplicas'), { type: 'integer' }),
    ageColumn,
    ...templateColumns('spec.template'),
  ],
  daemonsets: [
    nameColumn,
    column('Desired', int('status.desiredNumberScheduled'), { type: 'integer' }),
    column('Current', int('status.currentNumberScheduled'), { type: 'integer' }),
    column('Ready', int('status.numberReady'), { type: 'integer' }),
    column('Up-to-date', int('status.updatedNumberScheduled'), { type: 'integer' }),
    column('Available', int('status.numberAvailable'), { type: 'integer' }),
    column('Node Selector', (object) => selectorText(field(object, 'spec.template.spec.nodeSelector'))),
    ageColumn,
    ...templateColumns('spec.template'),
  ],
  jobs: [
    nameColumn,
    column('Status', jobStatus),
    column(
      'Completions',
      (object) => `${Number(field(object, 'status.succeeded') ?? 0)}/${Number(field(object, 'spec.completions') ?? 1)}`,
    ),
    column('Duration', jobDuration),
    ageColumn,
    ...templateColumns('spec.template'),
  ],
  cronjobs: [
    nameColumn,
    column('Schedule', text('spec.schedule')),
    column('Timezone', text('spec.timeZone')),
    column('Suspend', (object) => (field(object, 'spec.suspend') ? 'True' : 'False')),
    column('Active', (object) => ((field(object, 'status.active') as unknown[] | undefined) ?? []).length, {
      type: 'integer',
    }),
    column('Last Schedule', (object) => {
      const last = field(object, 'status.lastScheduleTime');
      return typeof last === 'string' ? ageOf(last) : '<none>';
    }),
    ageColumn,
  ],
  storageclasses: [
    nameColumn,
    column('Provisioner', text('provisioner')),
    column('ReclaimPolicy', text('reclaimPolicy', 'Delete')),
    column('VolumeBindingMode', text('volumeBindingMode', 'Immediate')),
    column('AllowVolumeExpansion', (object) => (field(object, 'allowVolumeExpansion') ? 'true' : 'false')),
    ageColumn,
  ],
  roles: [nameColumn, createdAtColumn],
  clusterroles: [nameColumn, createdAtColumn],
  rolebindings: [nameColumn, column('Role', roleRef), ageColumn],
  clusterrolebindings: [nameColumn, column('Role', roleRef), ageColumn],
  leases: [nameColumn, column('Holder', text('spec.holderIdentity', '')), ageColumn],
  customresourcedefinitions: [nameColumn, createdAtColumn],
};
