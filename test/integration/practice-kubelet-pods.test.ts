import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeletFiles } from '../../practice/kubelet/kubelet-paths.ts';
import { execInContainer, type KubeletTls, readContainerLog } from '../../practice/kubelet/server/kubelet-client.ts';
import type { NodeLayout } from '../../practice/layout.ts';
import {
  eventuallyFound,
  isAlive,
  type PracticeCluster,
  readText,
  recordedPid,
  startPracticeCluster,
  stopPracticeCluster,
} from '../helpers/practice-cluster.ts';

// Pods bound to cp-1 by spec.nodeName (the scheduler is not part of this test), created with kubectl.
let cluster: PracticeCluster;
let node: NodeLayout;
let tls: KubeletTls;
let kubeletUrl: string;

const POD = (name: string, spec: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default}
spec:
  nodeName: cp-1
${spec}`;

interface PodJson {
  metadata: { uid: string };
  status: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      restartCount: number;
      state: { waiting?: { reason: string; message?: string }; running?: object; terminated?: { exitCode: number } };
      lastState?: { terminated?: { exitCode: number; reason: string } };
    }[];
  };
}

async function getPod(name: string): Promise<PodJson | undefined> {
  const result = await cluster.kubectl(['get', 'pod', name, '-o', 'json']);
  return result.exitCode === 0 ? (JSON.parse(result.stdout) as PodJson) : undefined;
}

async function apply(yaml: string): Promise<void> {
  const result = await cluster.kubectl(['apply', '-f', '-'], { input: yaml });
  expect(result.exitCode, result.stderr).toBe(0);
}

const containerPidFile = (pod: string, container: string) =>
  path.join(kubeletFiles(cluster.layout, node).containersDir, `default_${pod}_${container}.pid`);

beforeAll(async () => {
  cluster = await startPracticeCluster('kubelet-pods');
  node = cluster.layout.nodes[0] as NodeLayout;
  const pki = path.join(node.root, 'etc/kubernetes/pki');
  tls = {
    ca: await readFile(path.join(pki, 'ca.crt')),
    cert: await readFile(path.join(pki, 'apiserver-kubelet-client.crt')),
    key: await readFile(path.join(pki, 'apiserver-kubelet-client.key')),
  };
  kubeletUrl = `https://${node.address}:10250`;
  await apply(`
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: default}
stringData: {password: s3cr3t-value}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: default}
data: {greeting: hello-from-configmap}
`);
}, 60_000);

afterAll(async () => {
  await stopPracticeCluster(cluster);
}, 30_000);

describe('the practice kubelet runs pods as processes', () => {
  it('runs a busybox pod with its env from a Secret, a configMap volume and its working dir; the output is in the log file', async () => {
    await apply(
      POD(
        'hello',
        `  containers:
  - name: main
    image: busybox:1.36
    workingDir: /config
    command: [sh, -c]
    args: ['echo "password=$PASSWORD pod=$POD_NAME ip=$POD_IP"; echo "file=$(cat greeting) pwd=$(pwd)"; exec sleep 600']
    env:
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    volumeMounts: [{name: config, mountPath: /config}]
  volumes:
  - {name: config, configMap: {name: settings}}`,
      ),
    );
    const pod = await eventuallyFound(
      async () => {
        const found = await getPod('hello');
        return found?.status.phase === 'Running' &&
          found.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
          ? found
          : undefined;
      },
      20_000,
      'hello Running and Ready',
    );
    const logFile = path.join(node.root, 'var/log/pods', `default_hello_${pod.metadata.uid}`, 'main', '0.log');
    const log = await eventuallyFound(
      async () => ((await readText(logFile)).includes('file=') ? readText(logFile) : undefined),
      10_000,
      'log',
    );
    expect(log).toContain(`password=s3cr3t-value pod=hello ip=${pod.status.podIP}`);
    expect(log).toContain('file=hello-from-configmap pwd=/config');
    expect(pod.status.podIP).toMatch(
      new RegExp(`^${cluster.layout.subnet.replaceAll('.', '\\.')}\\.(6[4-9]|[7-9]\\d|1[01]\\d|12[0-7])$`),
    );

    const tail = await readContainerLog(
      kubeletUrl,
      tls,
      { namespace: 'default', pod: 'hello', container: 'main' },
      { tailLines: 1 },
    );
    expect(tail.body).toBe('file=hello-from-configmap pwd=/config\n');
    const exec = await execInContainer(
      kubeletUrl,
      tls,
      { namespace: 'default', pod: 'hello', container: 'main' },
      ['sh', '-c', 'cat; echo "in $(pwd) as $HOSTNAME" >&2; exit 3'],
      'from stdin',
    );
    expect(exec).toMatchObject({ stdout: 'from stdin', stderr: 'in /config as hello\n', exitCode: 3 });
  });

  it('ends the process when the pod is deleted', async () => {
    const pid = await eventuallyFound(
      () => recordedPid(containerPidFile('hello', 'main')).then((p) => p ?? undefined),
      10_000,
      'pid',
    );
    expect(isAlive(pid)).toBe(true);
    const deleted = await cluster.kubectl(['delete', 'pod', 'hello', '--wait=false']);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    await eventuallyFound(async () => (isAlive(pid) ? undefined : true), 15_000, `process ${pid} to end`);
  });

  it('restarts a crashing container (restartPolicy Always) with a growing restartCount; --previous has the last run', async () => {
    await apply(
      POD(
        'crasher',
        `  containers:\n  - {name: main, image: debian:12, command: [sh, -c, 'echo run at $(date +%s%N); exit 7']}`,
      ),
    );
    const pod = await eventuallyFound(
      async () => {
        const found = await getPod('crasher');
        return (found?.status.containerStatuses?.[0]?.restartCount ?? 0) >= 2 ? found : undefined;
      },
      30_000,
      'two restarts',
    );
    const status = pod.status.containerStatuses?.[0];
    expect(status?.lastState?.terminated).toMatchObject({ exitCode: 7, reason: 'Error' });
    expect(pod.status.phase).toBe('Running');
    const previous = await readContainerLog(
      kubeletUrl,
      tls,
      { namespace: 'default', pod: 'crasher', container: 'main' },
      { previous: true },
    );
    expect(previous.body).toMatch(/^run at \d+\n$/);
    await eventuallyFound(
      async () =>
        (await getPod('crasher'))?.status.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff'
          ? true
          : undefined,
      10_000,
      'CrashLoopBackOff',
    );
  });

  it('keeps Ready False while the readiness probe fails, and True for the same pod once it passes', async () => {
    await apply(
      POD(
        'unready',
        `  containers:
  - name: main
    image: alpine
    command: [sh, -c, 'sleep 600']
    readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 1, failureThreshold: 1}`,
      ),
    );
    await eventuallyFound(
      async () => ((await getPod('unready'))?.status.phase === 'Running' ? true : undefined),
      20_000,
      'Running',
    );
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const unready = await getPod('unready');
    expect(unready?.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(unready?.status.containerStatuses?.[0]?.ready).toBe(false);
    const touched = await execInContainer(
      kubeletUrl,
      tls,
      { namespace: 'default', pod: 'unready', container: 'main' },
      ['touch', '/tmp/ready'],
    );
    expect(touched.exitCode).toBe(0);
    await eventuallyFound(
      async () =>
        (await getPod('unready'))?.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
          ? true
          : undefined,
      10_000,
      'Ready',
    );
  });

  it('fails to pull an image it does not know, and refuses to exec sh in the distroless etcd image', async () => {
    await apply(POD('unknown', `  containers:\n  - {name: main, image: example.com/nothing/here:1.0}`));
    const reason = await eventuallyFound(
      async () =>
        (await getPod('unknown'))?.status.containerStatuses?.[0]?.state.waiting?.reason.match(
          /ErrImagePull|ImagePullBackOff/,
        )?.[0],
      15_000,
      'ErrImagePull',
    );
    expect(reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect((await getPod('unknown'))?.status.phase).toBe('Pending');

    const sh = await execInContainer(
      kubeletUrl,
      tls,
      { namespace: 'kube-system', pod: 'etcd-cp-1', container: 'etcd' },
      ['sh', '-c', 'true'],
    );
    expect(sh.exitCode).not.toBe(0);
    expect(sh.status.message).toContain('exec: "sh": executable file not found in $PATH');
    const etcdctl = await execInContainer(
      kubeletUrl,
      tls,
      { namespace: 'kube-system', pod: 'etcd-cp-1', container: 'etcd' },
      [
        'etcdctl',
        `--endpoints=${node.etcd.clientUrl}`,
        '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
        '--cert=/etc/kubernetes/pki/etcd/server.crt',
        '--key=/etc/kubernetes/pki/etcd/server.key',
        'endpoint',
        'health',
      ],
    );
    expect(`${etcdctl.stdout}${etcdctl.stderr}`).toContain('is healthy');
  });
});
