import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceDown, practiceUp } from '../../practice/cluster/lifecycle.ts';
import { kubeletFiles } from '../../practice/kubelet/kubelet-paths.ts';
import type { NodeLayout } from '../../practice/layout.ts';
import { namespacePath } from '../../practice/network/node-network.ts';
import { nodeShellCommand } from '../../practice/node/node-shell.ts';
import { readPidRecord } from '../../practice/process/daemon.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import {
  eventually,
  isAlive,
  type PracticeCluster,
  startPracticeCluster,
  stopPracticeCluster,
} from '../helpers/practice-cluster.ts';

let cluster: PracticeCluster;

const ETCDCTL = [
  '/usr/bin/etcdctl',
  '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
  '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  '--key=/etc/kubernetes/pki/etcd/healthcheck-client.key',
  '--dial-timeout=3s',
  '--command-timeout=5s',
];
const LOCAL_ETCDCTL = [...ETCDCTL, '--endpoints=https://127.0.0.1:2379'];

function node(name: string): NodeLayout {
  const found = cluster.layout.nodes.find((item) => item.name === name);
  if (!found) throw new Error(`no node ${name}`);
  return found;
}

async function onNode(name: string, argv: string[]) {
  const shell = await nodeShellCommand(node(name), argv);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ETCDCTL_')));
  return execa(shell.file, shell.args, { reject: false, env: { ...env, ETCDCTL_API: '3' }, extendEnv: false });
}

// Member name → hex id, as the host sees the cluster through the node addresses.
async function memberIds(): Promise<Map<string, string>> {
  const listed = await cluster.etcdctl(['member', 'list']);
  expect(listed.exitCode, listed.stderr).toBe(0);
  const rows = listed.stdout.trim().split('\n');
  return new Map(rows.map((row) => row.split(', ')).map(([id, , name]) => [name ?? '', id ?? '']));
}

// The member id an `endpoint status` on https://127.0.0.1:2379 reports (the second field).
function statusId(stdout: string): string {
  const [endpoint, id] = stdout.trim().split(', ');
  expect(endpoint).toBe('https://127.0.0.1:2379');
  return id ?? '';
}

function hostLinks(): Promise<string> {
  return execa('ip', ['-o', 'link', 'show']).then((result) => result.stdout);
}

beforeAll(async () => {
  cluster = await startPracticeCluster('node-network', { nodes: 3 });
}, 60_000);

afterAll(() => stopPracticeCluster(cluster), 30_000);

describe("each node's own network: 127.0.0.1 is the node, as on a kubeadm node", () => {
  it("answers node 2's member on https://127.0.0.1:2379 in node 2's shell, and each node its own", async () => {
    const ids = await memberIds();
    for (const name of ['cp-2', 'cp-1', 'cp-3']) {
      const status = await onNode(name, [...LOCAL_ETCDCTL, 'endpoint', 'status']);
      expect(status.exitCode, status.stderr).toBe(0);
      expect(statusId(status.stdout), name).toBe(ids.get(name));
    }
  });

  it("answers the node's member on 127.0.0.1 inside its static pod, as `kubectl exec etcd-<node> -- etcdctl` does", async () => {
    const ids = await memberIds();
    const status = await cluster.kubectl([
      ...['exec', '-n', 'kube-system', 'etcd-cp-3', '--', 'etcdctl'],
      ...LOCAL_ETCDCTL.slice(1, 4),
      '--endpoints=https://127.0.0.1:2379',
      ...['endpoint', 'status'],
    ]);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(statusId(status.stdout)).toBe(ids.get('cp-3'));
  });

  it("gives a pod that is not hostNetwork a 127.0.0.1 of its own, beside its node's member", async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'own-loopback', namespace: 'default' },
      spec: {
        nodeName: 'cp-2',
        restartPolicy: 'Never',
        containers: [
          {
            name: 'etcd',
            image: 'registry.k8s.io/etcd:3.4.23-0',
            command: [
              ...['etcd', '--name=in-pod', '--data-dir=/var/lib/in-pod'],
              ...['--listen-client-urls=http://127.0.0.1:2379', '--advertise-client-urls=http://127.0.0.1:2379'],
            ],
          },
        ],
      },
    };
    await cluster.kubectlOk(['apply', '-f', '-'], JSON.stringify(pod));
    const listed = await eventually(async () => {
      const result = await cluster.kubectl([
        ...['exec', 'own-loopback', '--', 'etcdctl', '--endpoints=http://127.0.0.1:2379', 'member', 'list'],
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      return result.stdout;
    }, 30_000);
    expect(listed).toContain(', in-pod, ');
    const ids = await memberIds();
    const status = await onNode('cp-2', [...LOCAL_ETCDCTL, 'endpoint', 'status']);
    expect(statusId(status.stdout)).toBe(ids.get('cp-2'));
    await cluster.kubectlOk(['delete', 'pod', 'own-loopback', '--wait=false']);
  }, 60_000);

  it('lets bitnami/etcd listen on 0.0.0.0 and its etcdctl reach it on 127.0.0.1:2379, as in the real image', async () => {
    const env = (name: string, value: string) => `    - {name: ${name}, value: "${value}"}`;
    const pod = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: bitnami-loopback, namespace: default}',
      'spec:',
      '  nodeName: cp-2',
      '  containers:',
      '  - name: etcd',
      '    image: docker.io/bitnami/etcd:3.5.21-debian-12-r5',
      '    env:',
      '    - {name: MY_POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}',
      env('ALLOW_NONE_AUTHENTICATION', 'yes'),
      env('ETCD_ADVERTISE_CLIENT_URLS', 'http://$(MY_POD_IP):2379'),
      '',
    ].join('\n');
    await cluster.kubectlOk(['apply', '-f', '-'], pod);
    const health = await eventually(async () => {
      const result = await cluster.kubectl(['exec', 'bitnami-loopback', '--', 'etcdctl', 'endpoint', 'health']);
      expect(result.exitCode, result.stderr).toBe(0);
      return result.stdout + result.stderr;
    }, 40_000);
    expect(health).toContain('127.0.0.1:2379 is healthy');
    await cluster.kubectlOk(['delete', 'pod', 'bitnami-loopback', '--wait=false']);
  }, 60_000);

  it('keeps the node addresses for the API server, kubectl on this machine and the other nodes', async () => {
    const nodes = await cluster.kubectlOk(['get', 'nodes', '-o', 'name']);
    expect(nodes.trim().split('\n')).toEqual(['node/cp-1', 'node/cp-2', 'node/cp-3']);
    const others = [node('cp-1'), node('cp-3')].map((item) => item.etcd.clientUrl).join(',');
    const fromNode2 = await onNode('cp-2', [...ETCDCTL, `--endpoints=${others}`, 'endpoint', 'health']);
    expect(fromNode2.exitCode, fromNode2.stderr).toBe(0);
    const kubectl = path.join(toolPaths().binDir, 'kubectl');
    const fromShell = await onNode('cp-2', [kubectl, '--kubeconfig=/etc/kubernetes/admin.conf', 'get', 'node', 'cp-2']);
    expect(fromShell.exitCode, fromShell.stderr).toBe(0);
  });

  it('rebuilds the network of a node whose kubelet crashed, on the next up', async () => {
    const files = kubeletFiles(cluster.layout, node('cp-2'));
    const record = await readPidRecord(files.pidFile);
    if (!record) throw new Error('no kubelet record for cp-2');
    process.kill(record.pid, 'SIGKILL');
    await eventually(async () => expect(isAlive(record.pid)).toBe(false));
    await practiceUp(cluster.layout, { env: process.env, timeoutMs: 45_000 });
    const ids = await memberIds();
    const status = await onNode('cp-2', [...LOCAL_ETCDCTL, 'endpoint', 'status']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(statusId(status.stdout)).toBe(ids.get('cp-2'));
  }, 90_000);

  it('down leaves no namespace, link, route or process of the nodes behind', async () => {
    const { layout } = cluster;
    const kubelets = await Promise.all(layout.nodes.map((item) => readPidRecord(kubeletFiles(layout, item).pidFile)));
    await practiceDown(layout);
    for (const item of layout.nodes) {
      expect(existsSync(namespacePath(item)), item.network.namespace).toBe(false);
      expect(await hostLinks()).not.toContain(item.network.hostLink);
    }
    const namespaces = await readdir('/run/netns').catch(() => [] as string[]);
    expect(namespaces.filter((name) => layout.nodes.some((item) => name.startsWith(item.network.namespace)))).toEqual(
      [],
    );
    const routes = await execa('ip', ['route', 'show', 'table', 'local']);
    expect(routes.stdout).not.toContain(`${layout.subnet}.`);
    for (const kubelet of kubelets) expect(kubelet && isAlive(kubelet.pid)).toBe(false);
    const leftovers = await execa('ps', ['-eo', 'args']);
    expect(leftovers.stdout).not.toContain(cluster.stateDir);
  }, 60_000);
});
