import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeletFiles } from '../../practice/kubelet/kubelet-paths.ts';
import { execInContainer, type KubeletTls } from '../../practice/kubelet/server/kubelet-client.ts';
import type { NodeLayout } from '../../practice/layout.ts';
import {
  eventuallyFound,
  type PracticeCluster,
  readKubeletTls,
  recordedPid,
  startPracticeCluster,
  stopPracticeCluster,
} from '../helpers/practice-cluster.ts';

// The bitnami/etcd image's environment contract, on cp-2, with a snapshot folder shared by hostPath.
let cluster: PracticeCluster;
let node: NodeLayout;
let tls: KubeletTls;

const bitnamiPod = (name: string, extraEnv: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default}
spec:
  nodeName: cp-2
  containers:
  - name: etcd
    image: docker.io/bitnami/etcd:3.5.21-debian-12-r5
    env:
    - {name: MY_POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: ETCD_NAME, value: ${name}}
    - {name: ETCD_ADVERTISE_CLIENT_URLS, value: "http://$(MY_POD_IP):2379"}
    - {name: ETCD_LISTEN_PEER_URLS, value: "http://0.0.0.0:2380"}
    - {name: ETCD_INITIAL_ADVERTISE_PEER_URLS, value: "http://$(MY_POD_IP):2380"}
    - {name: ETCD_INITIAL_CLUSTER, value: "${name}=http://$(MY_POD_IP):2380"}
${extraEnv}
    readinessProbe: {exec: {command: [/opt/bitnami/scripts/etcd/healthcheck.sh]}, periodSeconds: 1, timeoutSeconds: 5}
    volumeMounts:
    - {name: data, mountPath: /bitnami/etcd}
    - {name: snapshots, mountPath: /snapshots}
  volumes:
  - {name: data, emptyDir: {}}
  - {name: snapshots, hostPath: {path: /srv/etcd-snapshots, type: DirectoryOrCreate}}
`;
const PASSWORD_ENV =
  '    - {name: ETCD_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: etcd-auth, key: etcd-root-password}}}';

async function podIP(name: string): Promise<string> {
  const ready = await eventuallyFound(
    async () => {
      const result = await cluster.kubectl(['get', 'pod', name, '-o', 'json']);
      const pod = result.exitCode === 0 ? JSON.parse(result.stdout) : undefined;
      return pod?.status?.containerStatuses?.[0]?.ready ? pod : undefined;
    },
    40_000,
    `${name} Ready`,
  );
  return ready.status.podIP;
}

const etcdctl = (pod: string, args: string[]) =>
  execInContainer(`https://${node.address}:10250`, tls, { namespace: 'default', pod, container: 'etcd' }, [
    'etcdctl',
    ...args,
  ]);

beforeAll(async () => {
  cluster = await startPracticeCluster('kubelet-images');
  node = cluster.layout.nodes[1] as NodeLayout;
  tls = await readKubeletTls(node);
  const secret = await cluster.kubectl([
    'create',
    'secret',
    'generic',
    'etcd-auth',
    '--from-literal=etcd-root-password=pa55word',
  ]);
  expect(secret.exitCode, secret.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await stopPracticeCluster(cluster);
}, 30_000);

describe('the bitnami/etcd image', () => {
  it('enables authentication with the root user from ETCD_ROOT_PASSWORD, which etcd never sees', async () => {
    expect((await cluster.kubectl(['apply', '-f', '-'], { input: bitnamiPod('etcd-a', PASSWORD_ENV) })).exitCode).toBe(
      0,
    );
    const ip = await podIP('etcd-a');
    expect(ip).not.toBe(node.address);
    const endpoint = `--endpoints=http://${ip}:2379`;
    const put = await etcdctl('etcd-a', [endpoint, '--user=root:pa55word', 'put', 'drill/key', 'restored-value']);
    expect(put.stdout, put.stderr).toBe('OK\n');
    const anonymous = await etcdctl('etcd-a', [endpoint, 'get', 'drill/key']);
    expect(anonymous.exitCode).not.toBe(0);
    expect(anonymous.stderr).toContain('user name is empty');
    const pid = (await recordedPid(
      path.join(kubeletFiles(cluster.layout, node).containersDir, 'default_etcd-a_etcd.pid'),
    )) as number;
    const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
    expect((await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')[0]).toBe('etcd');
    expect(environ).toContain('ETCD_DATA_DIR=/bitnami/etcd/data');
    expect(environ.filter((entry) => entry.startsWith('ETCD_ROOT_PASSWORD'))).toEqual([]);
    const saved = await etcdctl('etcd-a', [endpoint, '--user=root:pa55word', 'snapshot', 'save', '/snapshots/db.snap']);
    expect(saved.exitCode, saved.stderr).toBe(0);
  });

  it('starts from a snapshot with ETCD_START_FROM_SNAPSHOT, ETCD_INIT_SNAPSHOTS_DIR and ETCD_INIT_SNAPSHOT_FILENAME', async () => {
    const restoreEnv = [
      PASSWORD_ENV,
      '    - {name: ETCD_START_FROM_SNAPSHOT, value: "yes"}',
      '    - {name: ETCD_INIT_SNAPSHOTS_DIR, value: /snapshots}',
      '    - {name: ETCD_INIT_SNAPSHOT_FILENAME, value: db.snap}',
    ].join('\n');
    expect((await cluster.kubectl(['apply', '-f', '-'], { input: bitnamiPod('etcd-b', restoreEnv) })).exitCode).toBe(0);
    const ip = await podIP('etcd-b');
    const got = await etcdctl('etcd-b', [
      `--endpoints=http://${ip}:2379`,
      '--user=root:pa55word',
      'get',
      'drill/key',
      '--print-value-only',
    ]);
    expect(got.stdout, got.stderr).toBe('restored-value\n');
  });

  it('refuses to start without a root password unless ALLOW_NONE_AUTHENTICATION=yes', async () => {
    expect((await cluster.kubectl(['apply', '-f', '-'], { input: bitnamiPod('etcd-c', '') })).exitCode).toBe(0);
    const status = await eventuallyFound(
      async () => {
        const result = await cluster.kubectl([
          'get',
          'pod',
          'etcd-c',
          '-o',
          'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}',
        ]);
        return result.stdout === '1' ? result.stdout : undefined;
      },
      20_000,
      'etcd-c to exit',
    );
    expect(status).toBe('1');
    const logs = path.join(node.root, 'var/log/containers/etcd-c_default_etcd.log');
    expect(await readFile(logs, 'utf8')).toContain('The ETCD_ROOT_PASSWORD environment variable is empty or not set');
  });
});
