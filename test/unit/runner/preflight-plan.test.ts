import { describe, expect, it } from 'vitest';
import { planPreflight } from '../../../runner/preflight/plan-preflight.ts';
import { compileRunbookSource } from '../../../site/compiler/compile-runbook.ts';

const FRONTMATTER = `---
title: Restore
summary: Local, pod and node steps.
system: etcd
tools: [kubectl, etcdctl, crictl, jq]
permissions:
  - { verb: list, resource: pods }
  - { verb: delete, resource: pods, steps: [on-node] }
---
`;

const step = (id: string, props: string, script: string) =>
  `<Step id="${id}" title="${id}" risk="read"${props}>\n\n\`\`\`bash\n${script}\n\`\`\`\n\n</Step>\n\n`;

// A restore's shape: kubectl here, etcdctl only in the pod and on the node, crictl on the nodes.
const RUNBOOK =
  FRONTMATTER +
  step('list-pods', '', 'kubectl get pods -o name') +
  step('in-pod', ' target="pod" pod="etcd-0" namespace="kube-system"', 'etcdctl endpoint health 2>&1') +
  step('on-node', ' target="node" host="cp-1"', 'etcdctl snapshot status /var/lib/etcd/snap.db\ncrictl ps') +
  step('on-masters', ' target="node" nodeSelector="node-role.kubernetes.io/control-plane"', 'crictl ps') +
  step('count', '', 'echo done');

async function plan() {
  const compiled = await compileRunbookSource(RUNBOOK, 'restore.mdx');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  return planPreflight(compiled.runbook);
}

describe('which steps a preflight item concerns', () => {
  it("makes a tool concern only the local steps: pod and node steps need it there, not on the operator's machine", async () => {
    const { tools } = await plan();
    const steps = Object.fromEntries(tools.map(({ item }) => [item.id, item.steps]));
    expect(steps).toEqual({
      'tool:kubectl': ['list-pods'],
      'tool:etcdctl': [],
      'tool:crictl': [],
      // Named by no step: every local step, as before.
      'tool:jq': ['list-pods', 'count'],
    });
  });

  it('does not block node steps on /readyz or a permission: they reach the node, not the API server', async () => {
    const { cluster, permissions } = await plan();
    expect(cluster.steps).toEqual(['list-pods', 'in-pod', 'on-masters', 'count']);
    expect(permissions.map(({ item }) => item.steps)).toEqual([
      ['list-pods', 'in-pod', 'on-masters', 'count'],
      ['on-node'],
    ]);
  });
});
