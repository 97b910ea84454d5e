import type { KubeObject } from '../resources/resource-type.ts';

const BOOTSTRAP = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const WORKLOADS = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/log',
      'pods/status',
      'services',
      'endpoints',
      'configmaps',
      'persistentvolumeclaims',
      'serviceaccounts',
      'events',
      'namespaces',
      'namespaces/status',
    ],
  },
  {
    apiGroups: ['apps'],
    resources: [
      'deployments',
      'deployments/scale',
      'deployments/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
      'daemonsets',
      'daemonsets/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
    ],
  },
  { apiGroups: ['batch'], resources: ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
];

function clusterRole(name: string, rules: object[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: BOOTSTRAP, annotations: AUTOUPDATE },
    rules,
  };
}

function binding(name: string, role: string, subjects: { kind: string; name: string }[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: BOOTSTRAP, annotations: AUTOUPDATE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjects.map((subject) => ({ apiGroup: 'rbac.authorization.k8s.io', ...subject })),
  };
}

const group = (name: string) => ({ kind: 'Group', name });

// The default roles kube-apiserver creates at start (cluster-admin, admin, edit, view, discovery,
// public info, basic user), and the practice cluster's restricted group bound to "view".
export const BOOTSTRAP_POLICY: KubeObject[] = [
  clusterRole('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]),
  clusterRole('admin', [
    ...WORKLOADS.map((rule) => ({ ...rule, verbs: [...READ, ...WRITE] })),
    { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] },
  ]),
  clusterRole('edit', [
    ...WORKLOADS.map((rule) => ({ ...rule, verbs: [...READ, ...WRITE] })),
    { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
  ]),
  clusterRole(
    'view',
    WORKLOADS.map((rule) => ({ ...rule, verbs: READ })),
  ),
  clusterRole('system:discovery', [
    {
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/readyz',
        '/openapi',
        '/openapi/*',
        '/version',
        '/version/',
      ],
      verbs: ['get'],
    },
  ]),
  clusterRole('system:public-info-viewer', [
    { nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] },
  ]),
  clusterRole('system:basic-user', [
    {
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      verbs: ['create'],
    },
  ]),
  binding('cluster-admin', 'cluster-admin', [group('system:masters')]),
  binding('system:discovery', 'system:discovery', [group('system:authenticated')]),
  binding('system:public-info-viewer', 'system:public-info-viewer', [
    group('system:authenticated'),
    group('system:unauthenticated'),
  ]),
  binding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
  binding('drillbook:viewers', 'view', [group('drillbook:viewers')]),
];

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function kubernetesService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      type: 'ClusterIP',
    },
  };
}
