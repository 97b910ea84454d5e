import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEtcdctl } from '../../practice/etcd/etcdctl.ts';
import { startEtcdMembers, stopEtcdMembers, waitForEtcdHealthy } from '../../practice/etcd/members.ts';
import type { NodeLayout } from '../../practice/layout.ts';
import { eventually, usePracticeCluster } from '../helpers/practice-cluster.ts';

// The disaster-recovery round trip the etcd runbooks describe, on the practice cluster: objects
// deleted after a snapshot come back through kubectl once every member is restored from it, and
// the API server, left running, reconnects by itself.
const practice = usePracticeCluster('apiserver-restore');
const kubectlOk = (args: string[], input?: string) => practice().kubectlOk(args, input);

async function etcdctlOk(node: NodeLayout, args: string[]): Promise<string> {
  const result = await runEtcdctl(node, [node.etcd.clientUrl], args);
  expect(result.exitCode, `etcdctl ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

const OBJECTS = `
apiVersion: v1
kind: Namespace
metadata: {name: precious}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: precious}
data: {kept: "yes"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: precious}
stringData: {password: hunter2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: precious}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx:1.27}]}}
`;

describe('etcd snapshot restore', () => {
  it('brings deleted objects back through kubectl', async () => {
    const { layout } = practice();
    const [first] = layout.nodes as [NodeLayout];
    await kubectlOk(['apply', '-f', '-'], OBJECTS);
    const snapshot = path.join(practice().stateDir, 'snapshot.db');
    expect(await etcdctlOk(first, ['snapshot', 'save', snapshot])).toContain(`Snapshot saved at ${snapshot}`);

    await kubectlOk(['delete', 'namespace', 'precious', '--timeout=20s']);
    expect((await practice().kubectl(['get', 'cm', 'settings', '-n', 'precious'])).stderr).toContain('not found');

    await stopEtcdMembers(layout, 10_000);
    const initialCluster = layout.nodes.map((node) => `${node.name}=${node.etcd.peerUrl}`).join(',');
    for (const node of layout.nodes) {
      const restored = `${node.files.etcdDataDir}.restored`;
      await etcdctlOk(node, [
        'snapshot',
        'restore',
        snapshot,
        `--name=${node.name}`,
        `--initial-cluster=${initialCluster}`,
        `--initial-advertise-peer-urls=${node.etcd.peerUrl}`,
        `--data-dir=${restored}`,
      ]);
      await rm(node.files.etcdDataDir, { recursive: true, force: true });
      await rename(restored, node.files.etcdDataDir);
    }
    await startEtcdMembers(layout);
    await waitForEtcdHealthy(layout, 30_000);

    const back = await eventually(() => kubectlOk(['get', 'cm', 'settings', '-n', 'precious', '-o', 'json']), 20_000);
    expect(JSON.parse(back)).toMatchObject({ data: { kept: 'yes' } });
    expect(await kubectlOk(['get', 'secret,deploy', '-n', 'precious', '-o', 'name'])).toBe(
      'secret/creds\ndeployment.apps/web',
    );
    expect(await kubectlOk(['get', 'ns', 'precious', '-o', 'jsonpath={.status.phase}'])).toBe('Active');
    await kubectlOk(['create', 'configmap', 'after-restore', '-n', 'precious']);
  }, 60_000);
});
