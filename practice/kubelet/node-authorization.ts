import { setTimeout as delay } from 'node:timers/promises';
import { PracticeError } from '../errors.ts';
import type { PracticeLayout } from '../layout.ts';
import { requestAsAdmin } from './admin-request.ts';

const READ = ['get', 'list', 'watch'];

// What a kubelet may do, granted to the group system:nodes. kube-apiserver grants it through its
// Node authorizer; the practice API server has RBAC only, so this role (the system:node role of
// Kubernetes before 1.8) stands in for it.
const NODE_ROLE = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'system:node', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
  rules: [
    { apiGroups: [''], resources: ['nodes'], verbs: [...READ, 'create', 'update', 'patch', 'delete'] },
    { apiGroups: [''], resources: ['nodes/status', 'pods/status'], verbs: ['update', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'create', 'delete'] },
    {
      apiGroups: [''],
      resources: ['secrets', 'configmaps', 'persistentvolumeclaims', 'persistentvolumes', 'services', 'endpoints'],
      verbs: READ,
    },
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      verbs: [...READ, 'create', 'update', 'patch', 'delete'],
    },
  ],
};

const NODE_BINDING = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'system:node', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:nodes' }],
};

// Creates (or replaces) the node role and its binding, as the cluster admin.
export async function ensureNodeAuthorization(layout: PracticeLayout): Promise<void> {
  for (const [plural, object] of [
    ['clusterroles', NODE_ROLE],
    ['clusterrolebindings', NODE_BINDING],
  ] as const) {
    const collection = `/apis/rbac.authorization.k8s.io/v1/${plural}`;
    const created = await requestAsAdmin(layout, 'POST', collection, object);
    const answer =
      created.status === 409
        ? await requestAsAdmin(layout, 'PUT', `${collection}/${object.metadata.name}`, object)
        : created;
    if (answer.status >= 300)
      throw new PracticeError(
        'COMMAND_FAILED',
        `writing ${plural}/${object.metadata.name}: ${answer.status} ${answer.body}`,
      );
  }
}

// Waits until every node's kubelet has registered its Node and posted it Ready, so that
// `kubectl get nodes` right after `up` shows a working cluster.
export async function waitForNodesRegistered(layout: PracticeLayout, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await requestAsAdmin(layout, 'GET', '/api/v1/nodes');
    const ready =
      answer.status === 200
        ? (JSON.parse(answer.body) as { items: RegisteredNode[] }).items
            .filter((item) => item.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
            .map((item) => item.metadata.name)
        : [];
    const missing = layout.nodes.filter((node) => !ready.includes(node.name));
    if (missing.length === 0) return;
    if (Date.now() >= deadline) {
      throw new PracticeError(
        'START_TIMEOUT',
        `node ${missing[0]?.name} did not register as Ready within ${timeoutMs / 1000} s; read ${layout.runDir}/kubelet-${missing[0]?.name}.log`,
      );
    }
    await delay(100);
  }
}

interface RegisteredNode {
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
}
