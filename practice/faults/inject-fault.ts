import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Fault, PracticeNode } from '../../protocol/index.ts';
import { PracticeError } from '../errors.ts';
import { runEtcdctl } from '../etcd/etcdctl.ts';
import type { FixtureContext } from '../fixtures/fixture-context.ts';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import { breakMember, corruptMemberWal, deleteMemberData } from './member-faults.ts';
import { removeHelmEtcd } from './release-faults.ts';

// Breaks the practice cluster as a drill says: each fault has a real effect on etcd or its objects.
// `drillDir` is the operator-side folder for files the trainee gets (a snapshot).
export async function injectFault(context: FixtureContext, fault: Fault, drillDir: string): Promise<void> {
  const { layout } = context;
  switch (fault.kind) {
    case 'delete-objects-after-snapshot': {
      await saveSnapshot(layout, nodeOf(layout, fault.snapshot.node), fault.snapshot.path);
      await context.kubectl(['delete', fault.resources.join(','), '--all', '-n', fault.namespace, '--wait=true']);
      return;
    }
    case 'lose-member-data':
      await breakMember(layout, nodeOf(layout, fault.node), deleteMemberData);
      return;
    case 'lose-quorum':
      if (fault.snapshot) await saveSnapshot(layout, nodeOf(layout, fault.snapshot.node), fault.snapshot.path);
      for (const name of fault.nodes) await breakMember(layout, nodeOf(layout, name), deleteMemberData);
      return;
    case 'corrupt-member-data':
      await breakMember(layout, nodeOf(layout, fault.node), corruptMemberWal);
      return;
    case 'helm-release-gone':
      await removeHelmEtcd(context, fault, path.join(drillDir, fault.snapshot.path));
      return;
  }
}

// A snapshot at a path on a node (under the node's root), as the node's nightly backup would leave it.
async function saveSnapshot(layout: PracticeLayout, node: NodeLayout, nodePath: string): Promise<void> {
  const file = path.join(node.root, nodePath);
  await mkdir(path.dirname(file), { recursive: true });
  const endpoints = layout.nodes.map((item) => item.etcd.clientUrl);
  const result = await runEtcdctl(node, [node.etcd.clientUrl], ['snapshot', 'save', file]);
  if (result.exitCode !== 0)
    throw new PracticeError(
      'FAULT_FAILED',
      `snapshot on ${node.name} (${endpoints.length} members) failed: ${result.stderr}`,
    );
}

function nodeOf(layout: PracticeLayout, name: PracticeNode): NodeLayout {
  const node = layout.nodes.find((item) => item.name === name);
  if (!node)
    throw new PracticeError('FAULT_FAILED', `the practice cluster has no node ${name} (start it with --nodes 3)`);
  return node;
}
