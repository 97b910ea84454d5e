import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControllersCluster, eventually, startControllersCluster } from '../helpers/practice-controllers.ts';

// Deployments, ReplicaSets, the scheduler and Endpoints on one practice cluster, driven by the
// real kubectl 1.32; the kubelets run the pods (busybox sleeping), on the cluster's three nodes.
let cluster: ControllersCluster;
let nodeNames: string[];

const SLEEPER = { image: 'busybox', command: ['sleep', '3600'] };
// A readiness probe that never passes: the pod runs, with its IP, but never turns Ready.
const NEVER_READY = { exec: { command: ['false'] }, periodSeconds: 1 };

interface Item {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { replicas?: number; nodeName?: string; template?: { spec: { containers: { image: string }[] } } };
  status?: { replicas?: number };
}

const items = async (kind: string, selector: string) =>
  (await cluster.getJson<{ items: Item[] }>(['get', kind, '-l', selector])).items;

beforeAll(async () => {
  cluster = await startControllersCluster('controllers-deploy');
  nodeNames = cluster.layout.nodes.map((node) => node.name);
}, 60_000);

afterAll(async () => {
  await cluster?.down();
});

describe('the deployment controller', () => {
  it('rolls a new deployment out until kubectl rollout status returns, pods spread over the nodes', async () => {
    const created = await cluster.kubectl([
      'create',
      'deployment',
      'web',
      '--image=busybox',
      '--replicas=3',
      '--',
      'sleep',
      '1d',
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    const rollout = await cluster.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(rollout.exitCode, rollout.stderr).toBe(0);
    expect(rollout.stdout).toContain('deployment "web" successfully rolled out');
    const [replicaSet] = await items('replicasets', 'app=web');
    const hash = replicaSet?.metadata.labels?.['pod-template-hash'] ?? '';
    expect(replicaSet?.metadata.name).toBe(`web-${hash}`);
    expect(replicaSet?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const pods = await items('pods', 'app=web');
    expect(pods).toHaveLength(3);
    for (const pod of pods)
      expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(pods.map((pod) => pod.spec.nodeName).sort()).toEqual(nodeNames);
    const deployment = await cluster.getJson<{ status: { conditions: { type: string; reason: string }[] } }>([
      'get',
      'deployment',
      'web',
    ]);
    expect(deployment.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Progressing', reason: 'NewReplicaSetAvailable' }),
    );
    expect(deployment.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Available', reason: 'MinimumReplicasAvailable' }),
    );
  });

  it('rolls an image update onto a new ReplicaSet, lists both in history and undoes back to the first', async () => {
    expect((await cluster.kubectl(['set', 'image', 'deployment/web', 'busybox=busybox:1.36'])).exitCode).toBe(0);
    const rollout = await cluster.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(rollout.exitCode, rollout.stderr).toBe(0);
    const sets = await items('replicasets', 'app=web');
    expect(sets).toHaveLength(2);
    const next = sets.find((set) => set.spec.template?.spec.containers[0]?.image === 'busybox:1.36');
    const first = sets.find((set) => set !== next);
    expect(next?.spec.replicas).toBe(3);
    expect(next?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(first?.spec.replicas).toBe(0);
    const pods = await items('pods', 'app=web');
    expect(pods.map((pod) => pod.metadata.labels?.['pod-template-hash'])).toEqual(
      Array(3).fill(next?.metadata.labels?.['pod-template-hash']),
    );
    const history = await cluster.kubectl(['rollout', 'history', 'deployment/web']);
    expect(history.stdout).toMatch(/^1\s/m);
    expect(history.stdout).toMatch(/^2\s/m);
    expect((await cluster.kubectl(['rollout', 'undo', 'deployment/web'])).exitCode).toBe(0);
    expect((await cluster.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s'])).exitCode).toBe(0);
    const undone = await items('replicasets', 'app=web');
    const back = undone.find((set) => set.metadata.name === first?.metadata.name);
    expect(back?.spec.replicas).toBe(3);
    expect(back?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('follows kubectl scale up and down', async () => {
    expect((await cluster.kubectl(['scale', 'deployment/web', '--replicas=5'])).exitCode).toBe(0);
    expect((await cluster.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s'])).exitCode).toBe(0);
    const pods = await items('pods', 'app=web');
    expect(
      pods.map((pod) => pod.metadata.name),
      JSON.stringify(pods.map((pod) => pod.status)),
    ).toHaveLength(5);
    expect((await cluster.kubectl(['scale', 'deployment/web', '--replicas=2'])).exitCode).toBe(0);
    await eventually(async () => ((await items('pods', 'app=web')).length === 2 ? true : undefined));
    const jsonpath = 'jsonpath={.status.readyReplicas}/{.status.replicas}';
    await eventually(async () => {
      const ready = await cluster.kubectl(['get', 'deployment', 'web', '-o', jsonpath]);
      return ready.stdout === '2/2' ? true : undefined;
    });
  });

  it('rolls a Recreate deployment onto its new template', async () => {
    const manifest = (image: string) =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'batchy' },
        spec: {
          replicas: 2,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: { app: 'batchy' } },
          template: {
            metadata: { labels: { app: 'batchy' } },
            spec: { containers: [{ name: 'c', image, command: SLEEPER.command }] },
          },
        },
      });
    expect((await cluster.kubectl(['apply', '-f', '-'], manifest('busybox'))).exitCode).toBe(0);
    expect((await cluster.kubectl(['rollout', 'status', 'deployment/batchy', '--timeout=30s'])).exitCode).toBe(0);
    expect((await cluster.kubectl(['apply', '-f', '-'], manifest('busybox:1.36'))).exitCode).toBe(0);
    expect((await cluster.kubectl(['rollout', 'status', 'deployment/batchy', '--timeout=30s'])).exitCode).toBe(0);
    const pods = await items('pods', 'app=batchy');
    expect(pods).toHaveLength(2);
    const events = await cluster.kubectl([
      'get',
      'events',
      '--field-selector',
      'involvedObject.kind=Deployment,involvedObject.name=batchy',
    ]);
    expect(events.stdout).toContain('Scaled up replica set');
  });
});

describe('the daemonset controller', () => {
  it('runs one pod on each Ready node and reports it so kubectl rollout status completes', async () => {
    const daemonSet = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', ...SLEEPER }] } },
      },
    });
    expect((await cluster.kubectl(['apply', '-f', '-'], daemonSet)).exitCode).toBe(0);
    const rollout = await cluster.kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
    expect(rollout.exitCode, rollout.stderr).toBe(0);
    const pods = await items('pods', 'app=agent');
    expect(pods.map((pod) => pod.spec.nodeName).sort()).toEqual(nodeNames);
    const status = await cluster.kubectl([
      'get',
      'ds',
      'agent',
      '-o',
      'jsonpath={.status.desiredNumberScheduled}/{.status.numberReady}',
    ]);
    expect(status.stdout).toBe('3/3');
  });
});

describe('the scheduler and the endpoints controller', () => {
  it('binds a pod to the node its nodeSelector names and records a Scheduled event', async () => {
    await cluster.kubectl(['label', 'node', 'cp-2', 'disk=ssd']);
    const overrides = JSON.stringify({ spec: { nodeSelector: { disk: 'ssd' } } });
    const run = await cluster.kubectl([
      'run',
      'picky',
      '--image=busybox',
      `--overrides=${overrides}`,
      '--',
      'sleep',
      '1d',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const node = await eventually(async () => {
      const result = await cluster.kubectl(['get', 'pod', 'picky', '-o', 'jsonpath={.spec.nodeName}']);
      return result.stdout || undefined;
    });
    expect(node).toBe('cp-2');
    const events = await cluster.kubectl([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=picky,reason=Scheduled',
    ]);
    expect(events.stdout).toContain('Successfully assigned default/picky to cp-2');
  });

  it('leaves a pod pending with FailedScheduling when no node fits', async () => {
    const overrides = JSON.stringify({ spec: { nodeSelector: { disk: 'tape' } } });
    expect((await cluster.kubectl(['run', 'stuck', '--image=busybox', `--overrides=${overrides}`])).exitCode).toBe(0);
    const events = await eventually(async () => {
      const result = await cluster.kubectl([
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=stuck,reason=FailedScheduling',
      ]);
      return result.stdout.includes('0/3 nodes are available') ? result.stdout : undefined;
    });
    expect(events).toContain("3 node(s) didn't match Pod's node affinity/selector");
    expect((await cluster.kubectl(['get', 'pod', 'stuck', '-o', 'jsonpath={.spec.nodeName}'])).stdout).toBe('');
  });

  it('lists ready pods in addresses and held-back ones in notReadyAddresses, on the named target port', async () => {
    const service = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api' },
      spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] },
    });
    const deployment = (replicas: number, hold: string) =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `api-${hold}` },
        spec: {
          replicas,
          selector: { matchLabels: { app: 'api', hold } },
          template: {
            metadata: { labels: { app: 'api', hold } },
            spec: {
              containers: [
                {
                  name: 'c',
                  ...SLEEPER,
                  ports: [{ name: 'web', containerPort: 8080 }],
                  ...(hold === 'yes' ? { readinessProbe: NEVER_READY } : {}),
                },
              ],
            },
          },
        },
      });
    for (const body of [service, deployment(2, 'no'), deployment(1, 'yes')]) {
      expect((await cluster.kubectl(['apply', '-f', '-'], body)).exitCode).toBe(0);
    }
    const held = await eventually(async () => (await items('pods', 'app=api,hold=yes'))[0]);
    const heldName = held.metadata.name;
    interface Subset {
      addresses?: { ip: string }[];
      notReadyAddresses?: { ip: string; targetRef: { name: string } }[];
      ports?: { port: number; name: string }[];
    }
    const subsets = await eventually(async () => {
      const endpoints = await cluster.getJson<{ subsets?: Subset[] }>(['get', 'endpoints', 'api']);
      const [subset] = endpoints.subsets ?? [];
      return subset?.addresses?.length === 2 && subset.notReadyAddresses?.length === 1 ? subset : undefined;
    });
    expect(subsets.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(subsets.notReadyAddresses?.[0]?.targetRef.name).toBe(heldName);
    const table = await cluster.kubectl(['get', 'endpoints', 'api']);
    const podAddress = `${cluster.layout.subnet.replaceAll('.', '\\.')}\\.\\d+:8080`;
    expect(table.stdout).toMatch(new RegExp(`api\\s+${podAddress},${podAddress}\\s`));
    expect((await cluster.kubectl(['scale', 'deployment/api-no', '--replicas=0'])).exitCode).toBe(0);
    await eventually(async () => {
      const endpoints = await cluster.getJson<{ subsets?: Subset[] }>(['get', 'endpoints', 'api']);
      const [subset] = endpoints.subsets ?? [];
      return subset && !subset.addresses && subset.notReadyAddresses?.length === 1 ? true : undefined;
    });
  });
});
