import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartRepoFiles } from '../../practice/chart-repo/repo-files.ts';
import { practiceDown } from '../../practice/cluster/lifecycle.ts';
import { runEtcdctl } from '../../practice/etcd/etcdctl.ts';
import { isMemberHealthy } from '../../practice/etcd/members.ts';
import { kubeletFiles } from '../../practice/kubelet/kubelet-paths.ts';
import type { NodeLayout } from '../../practice/layout.ts';
import { nodeShellCommand } from '../../practice/node/node-shell.ts';
import { processGroupMembers } from '../../practice/process/process-table.ts';
import {
  eventuallyFound,
  isAlive,
  type PracticeCluster,
  recordedPid,
  startPracticeCluster,
  stopPracticeCluster,
} from '../helpers/practice-cluster.ts';

let cluster: PracticeCluster;
let first: NodeLayout;

async function onNode(node: NodeLayout, script: string) {
  const shell = await nodeShellCommand(node, ['sh', '-c', script]);
  return execa(shell.file, shell.args, { reject: false });
}

async function mirrorPod(name: string) {
  const result = await cluster.kubectl(['get', 'pod', name, '-n', 'kube-system', '-o', 'json']);
  return result.exitCode === 0 ? JSON.parse(result.stdout) : undefined;
}

beforeAll(async () => {
  cluster = await startPracticeCluster('kubelet-static');
  first = cluster.layout.nodes[0] as NodeLayout;
}, 60_000);

afterAll(async () => {
  await stopPracticeCluster(cluster);
}, 30_000);

describe('static pods from each node’s /etc/kubernetes/manifests', () => {
  it('registers the nodes and posts a mirror pod etcd-<node> per member, Running and Ready, owned by its Node', async () => {
    const nodes = JSON.parse((await cluster.kubectl(['get', 'nodes', '-o', 'json'])).stdout).items;
    expect(nodes.map((item: { metadata: { name: string } }) => item.metadata.name)).toEqual(['cp-1', 'cp-2', 'cp-3']);
    const cp1 = nodes[0];
    expect(cp1.metadata.labels).toMatchObject({
      'node-role.kubernetes.io/control-plane': '',
      'kubernetes.io/hostname': 'cp-1',
    });
    expect(cp1.status.addresses).toContainEqual({ type: 'InternalIP', address: first.address });
    expect(cp1.status.nodeInfo.kubeletVersion).toBe('v1.32.3');
    expect(cp1.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    // The kubelet takes its Lease right after registering, which is all `up` waits for.
    const holder = await eventuallyFound(
      async () => {
        const lease = await cluster.kubectl([
          'get',
          'lease',
          'cp-1',
          '-n',
          'kube-node-lease',
          '-o',
          'jsonpath={.spec.holderIdentity}',
        ]);
        return lease.exitCode === 0 ? lease.stdout : undefined;
      },
      10_000,
      'the Lease of cp-1',
    );
    expect(holder).toBe('cp-1');

    for (const node of cluster.layout.nodes) {
      const mirror = await eventuallyFound(
        async () => {
          const pod = await mirrorPod(`etcd-${node.name}`);
          return pod?.status?.containerStatuses?.[0]?.ready ? pod : undefined;
        },
        30_000,
        `etcd-${node.name} Ready`,
      );
      expect(mirror.metadata.annotations['kubernetes.io/config.mirror']).toBe(
        mirror.metadata.annotations['kubernetes.io/config.hash'],
      );
      expect(mirror.metadata.ownerReferences).toMatchObject([{ kind: 'Node', name: node.name }]);
      expect(mirror.spec.nodeName).toBe(node.name);
      expect(mirror.status).toMatchObject({ phase: 'Running', podIP: node.address });
      const pid = await recordedPid(node.etcd.pidFile);
      expect(pid && (await readdir(`/proc/${pid}`)).length).toBeTruthy();
    }
  });

  it('stops the member when etcd.yaml leaves manifests/ and starts it again when it comes back', async () => {
    const pid = (await recordedPid(first.etcd.pidFile)) as number;
    expect(isAlive(pid)).toBe(true);
    const moved = await onNode(first, 'mv /etc/kubernetes/manifests/etcd.yaml /etc/kubernetes/etcd.yaml');
    expect(moved.exitCode, moved.stderr).toBe(0);
    await eventuallyFound(async () => (isAlive(pid) ? undefined : true), 15_000, `etcd ${pid} to stop`);
    const health = await runEtcdctl(first, [first.etcd.clientUrl], ['endpoint', 'health']);
    expect(health.exitCode).not.toBe(0);
    await eventuallyFound(
      async () => ((await mirrorPod('etcd-cp-1')) ? undefined : true),
      10_000,
      'mirror pod etcd-cp-1 removed',
    );

    const back = await onNode(first, 'mv /etc/kubernetes/etcd.yaml /etc/kubernetes/manifests/etcd.yaml');
    expect(back.exitCode, back.stderr).toBe(0);
    await eventuallyFound(
      async () => ((await isMemberHealthy(first)) ? true : undefined),
      20_000,
      'etcd-cp-1 healthy again',
    );
    const again = await runEtcdctl(first, [first.etcd.clientUrl], ['endpoint', 'health']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await recordedPid(first.etcd.pidFile)).not.toBe(pid);
    await eventuallyFound(
      async () => ((await mirrorPod('etcd-cp-1'))?.status?.phase === 'Running' ? true : undefined),
      15_000,
      'mirror pod back',
    );
  });

  it('down leaves no process of the cluster behind: daemons, kubelets and every container', async () => {
    const layout = cluster.layout;
    await cluster.kubectl(['apply', '-f', '-'], {
      input:
        'apiVersion: v1\nkind: Pod\nmetadata: {name: sleeper, namespace: default}\nspec:\n  nodeName: cp-2\n  containers: [{name: main, image: busybox, command: [sleep, "600"]}]\n',
    });
    const sleeper = path.join(
      kubeletFiles(layout, layout.nodes[1] as NodeLayout).containersDir,
      'default_sleeper_main.pid',
    );
    await eventuallyFound(() => recordedPid(sleeper).then((pid) => pid ?? undefined), 15_000, 'sleeper running');
    const groups: number[] = [];
    const pidFiles = [layout.apiServer.pidFile, chartRepoFiles(layout).pidFile];
    for (const node of layout.nodes) {
      const files = kubeletFiles(layout, node);
      pidFiles.push(
        files.pidFile,
        ...(await readdir(files.containersDir)).map((name) => path.join(files.containersDir, name)),
      );
    }
    for (const file of pidFiles) {
      const pid = await recordedPid(file);
      if (pid) groups.push(pid);
    }
    expect(groups.length).toBe(2 + 3 + 3 + 1);
    const processes = groups.flatMap((group) => processGroupMembers(group));
    expect(processes.length).toBeGreaterThanOrEqual(groups.length);
    await practiceDown(layout);
    expect(groups.flatMap((group) => processGroupMembers(group))).toEqual([]);
    expect(processes.filter(isAlive)).toEqual([]);
  });
});
