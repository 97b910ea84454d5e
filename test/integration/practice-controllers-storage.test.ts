import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControllersCluster, eventually, startControllersCluster } from '../helpers/practice-controllers.ts';

// StatefulSets, PersistentVolumes and claims on one practice cluster, through the real kubectl
// 1.32; the kubelets run the pods (busybox sleeping), and a held pod's readiness probe never passes.
let cluster: ControllersCluster;

interface Pod {
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    hostname?: string;
    subdomain?: string;
    volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
  };
}

interface Claim {
  metadata: { name: string; uid: string };
  spec: { volumeName?: string; storageClassName?: string };
  status?: { phase?: string };
}

const statefulSet = (name: string, replicas: number, policy: 'OrderedReady' | 'Parallel', held = false) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: `${name}-headless`,
      replicas,
      podManagementPolicy: policy,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'busybox',
              command: ['sleep', '3600'],
              ...(held ? { readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 } } : {}),
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  });

const podNames = async (selector: string) =>
  (await cluster.getJson<{ items: Pod[] }>(['get', 'pods', '-l', selector])).items
    .map((pod) => pod.metadata.name)
    .sort();

beforeAll(async () => {
  cluster = await startControllersCluster('controllers-storage');
}, 60_000);

afterAll(async () => {
  await cluster?.down();
});

describe('the statefulset controller', () => {
  it('waits for each ordinal to be Ready before the next (OrderedReady)', async () => {
    expect((await cluster.kubectl(['apply', '-f', '-'], statefulSet('slow', 3, 'OrderedReady', true))).exitCode).toBe(
      0,
    );
    await eventually(async () => ((await podNames('app=slow')).length === 1 ? true : undefined));
    const state = 'jsonpath={.status.phase}/{.status.containerStatuses[0].ready}';
    await eventually(async () =>
      (await cluster.kubectl(['get', 'pod', 'slow-0', '-o', state])).stdout === 'Running/false' ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await podNames('app=slow')).toEqual(['slow-0']);
  });

  it('creates every ordinal at once under Parallel', async () => {
    expect((await cluster.kubectl(['apply', '-f', '-'], statefulSet('fast', 3, 'Parallel', true))).exitCode).toBe(0);
    const names = await eventually(async () => {
      const found = await podNames('app=fast');
      return found.length === 3 ? found : undefined;
    });
    expect(names).toEqual(['fast-0', 'fast-1', 'fast-2']);
  });

  it('names pods and claims by ordinal, sets hostname and subdomain, and completes its rollout', async () => {
    expect((await cluster.kubectl(['apply', '-f', '-'], statefulSet('etcd', 3, 'OrderedReady'))).exitCode).toBe(0);
    const rollout = await cluster.kubectl(['rollout', 'status', 'statefulset/etcd', '--timeout=30s']);
    expect(rollout.exitCode, rollout.stderr).toBe(0);
    const pods = (await cluster.getJson<{ items: Pod[] }>(['get', 'pods', '-l', 'app=etcd'])).items;
    expect(pods.map((pod) => pod.metadata.name).sort()).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
    for (const pod of pods) {
      expect(pod.spec.hostname).toBe(pod.metadata.name);
      expect(pod.spec.subdomain).toBe('etcd-headless');
      expect(pod.spec.volumes).toContainEqual({
        name: 'data',
        persistentVolumeClaim: { claimName: `data-${pod.metadata.name}` },
      });
    }
    const claims = await cluster.getJson<{ items: Claim[] }>(['get', 'pvc', '-l', 'app=etcd']);
    expect(
      claims.items.map((claim) => [claim.metadata.name, claim.status?.phase, claim.spec.storageClassName]).sort(),
    ).toEqual([
      ['data-etcd-0', 'Bound', 'standard'],
      ['data-etcd-1', 'Bound', 'standard'],
      ['data-etcd-2', 'Bound', 'standard'],
    ]);
    const status = await cluster.kubectl([
      'get',
      'sts',
      'etcd',
      '-o',
      'jsonpath={.status.readyReplicas} {.status.currentRevision}={.status.updateRevision}',
    ]);
    expect(status.stdout).toMatch(/^3 (etcd-\w+)=\1$/);
  });

  it('scales to 0 keeping the claims, and back onto the same claims', async () => {
    const before = await cluster.getJson<{ items: Claim[] }>(['get', 'pvc', '-l', 'app=etcd']);
    expect((await cluster.kubectl(['scale', 'statefulset/etcd', '--replicas=0'])).exitCode).toBe(0);
    await eventually(async () => ((await podNames('app=etcd')).length === 0 ? true : undefined));
    await eventually(async () => {
      const replicas = await cluster.kubectl([
        'get',
        'sts',
        'etcd',
        '-o',
        'jsonpath={.status.replicas}/{.status.readyReplicas}',
      ]);
      return replicas.stdout === '0/0' ? true : undefined;
    });
    expect((await cluster.kubectl(['scale', 'statefulset/etcd', '--replicas=3'])).exitCode).toBe(0);
    expect((await cluster.kubectl(['rollout', 'status', 'statefulset/etcd', '--timeout=30s'])).exitCode).toBe(0);
    const after = await cluster.getJson<{ items: Claim[] }>(['get', 'pvc', '-l', 'app=etcd']);
    const uids = (list: { items: Claim[] }) => list.items.map((claim) => claim.metadata.uid).sort();
    expect(uids(after)).toEqual(uids(before));
  });
});

describe('the persistent volume binder', () => {
  it('binds a claim to the smallest fitting Available volume of its class', async () => {
    const volume = (name: string, size: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        storageClassName: 'manual',
        capacity: { storage: size },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: `/srv/${name}` },
      },
    });
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'wants-manual' },
      spec: { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
    };
    const documents = [volume('big', '10Gi'), volume('small', '1Gi'), volume('fits', '5Gi'), claim];
    const applied = await cluster.kubectl(
      ['apply', '-f', '-'],
      documents.map((item) => JSON.stringify(item)).join('\n'),
    );
    expect(applied.exitCode, applied.stderr).toBe(0);
    const bound = await eventually(async () => {
      const found = await cluster.getJson<Claim>(['get', 'pvc', 'wants-manual']);
      return found.status?.phase === 'Bound' ? found : undefined;
    });
    expect(bound.spec.volumeName).toBe('fits');
    const pv = await cluster.kubectl([
      'get',
      'pv',
      'fits',
      '-o',
      'jsonpath={.status.phase} {.spec.claimRef.namespace}/{.spec.claimRef.name}',
    ]);
    expect(pv.stdout).toBe('Bound default/wants-manual');
    expect((await cluster.kubectl(['get', 'pv', 'big', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Available');
  });

  it('binds a claim that names its volume (spec.volumeName) to that volume, not to a better fit', async () => {
    const volume = (name: string, size: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: size },
        accessModes: ['ReadWriteMany'],
        nfs: { server: '10.0.0.1', path: `/exports/${name}` },
        persistentVolumeReclaimPolicy: 'Retain',
      },
    });
    const claim = (name: string, volumeName: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name },
      spec: {
        storageClassName: '',
        volumeName,
        accessModes: ['ReadWriteMany'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    const documents = [
      volume('static-fit', '1Gi'),
      volume('static-named', '10Gi'),
      claim('names-static', 'static-named'),
      claim('names-missing', 'no-such-volume'),
    ];
    const applied = await cluster.kubectl(
      ['apply', '-f', '-'],
      documents.map((item) => JSON.stringify(item)).join('\n'),
    );
    expect(applied.exitCode, applied.stderr).toBe(0);
    await eventually(async () => {
      const found = await cluster.getJson<Claim>(['get', 'pvc', 'names-static']);
      return found.status?.phase === 'Bound' ? found : undefined;
    });
    const pv = await cluster.kubectl([
      'get',
      'pv',
      'static-named',
      '-o',
      'jsonpath={.status.phase} {.spec.claimRef.namespace}/{.spec.claimRef.name}',
    ]);
    expect(pv.stdout).toBe('Bound default/names-static');
    const missing = await cluster.kubectl(['get', 'pvc', 'names-missing', '-o', 'jsonpath={.status.phase}']);
    expect(missing.stdout).toBe('Pending');
    expect((await cluster.kubectl(['get', 'pv', 'static-fit', '-o', 'jsonpath={.status.phase}'])).stdout).toBe(
      'Available',
    );
  });

  it('provisions a folder for a standard claim and removes it with the claim (reclaim Delete)', async () => {
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'scratch' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    expect((await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(claim))).exitCode).toBe(0);
    const bound = await eventually(async () => {
      const found = await cluster.getJson<Claim>(['get', 'pvc', 'scratch']);
      return found.status?.phase === 'Bound' ? found : undefined;
    });
    const folder = path.join(cluster.layout.root, 'storage', 'volumes', bound.spec.volumeName ?? '');
    const hostPath = await cluster.kubectl([
      'get',
      'pv',
      bound.spec.volumeName ?? '',
      '-o',
      'jsonpath={.spec.hostPath.path}',
    ]);
    expect(hostPath.stdout).toBe(folder);
    await writeFile(path.join(folder, 'data'), 'x');
    expect((await cluster.kubectl(['delete', 'pvc', 'scratch'])).exitCode).toBe(0);
    await eventually(async () =>
      (await cluster.kubectl(['get', 'pv', bound.spec.volumeName ?? ''])).exitCode !== 0 ? true : undefined,
    );
    await expect(access(folder)).rejects.toThrow();
  });

  it('provisions nfs claims under <practice root>/nfs-exports and keeps them (Retain)', async () => {
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'backups' },
      spec: { storageClassName: 'nfs', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } },
    };
    expect((await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(claim))).exitCode).toBe(0);
    const bound = await eventually(async () => {
      const found = await cluster.getJson<Claim>(['get', 'pvc', 'backups']);
      return found.status?.phase === 'Bound' ? found : undefined;
    });
    const name = bound.spec.volumeName ?? '';
    const nfs = await cluster.kubectl(['get', 'pv', name, '-o', 'jsonpath={.spec.nfs.path}']);
    expect(nfs.stdout).toBe(`/${name}`);
    const folder = path.join(cluster.layout.root, 'nfs-exports', name);
    await access(folder);
    expect((await cluster.kubectl(['delete', 'pvc', 'backups'])).exitCode).toBe(0);
    const phase = await eventually(async () => {
      const result = await cluster.kubectl(['get', 'pv', name, '-o', 'jsonpath={.status.phase}']);
      return result.stdout === 'Released' ? result.stdout : undefined;
    });
    expect(phase).toBe('Released');
    await access(folder);
  });
});
