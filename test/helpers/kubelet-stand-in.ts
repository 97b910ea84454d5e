import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import type { PracticeLayout } from '../../practice/layout.ts';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export interface KubeletStandInOptions {
  nodes: string[];
  /** Pods that run to completion: they go Succeeded (or Failed) instead of Running and Ready. */
  finish?: (pod: V1Pod) => 'Succeeded' | 'Failed' | undefined;
  /** Pods left Pending and not ready, as a kubelet would leave a pod whose image never starts. */
  hold?: (pod: V1Pod) => boolean;
}

// A TEST STAND-IN FOR THE KUBELET, not the kubelet: it registers Ready nodes and, every 100 ms,
// marks the pods bound to them Running and Ready with a pod IP (or Succeeded/Failed), through the
// status subresource, so that the controllers can be tested before real pods run.
export class KubeletStandIn {
  readonly core: CoreV1Api;
  readonly kubeConfig: KubeConfig;
  readonly #options: KubeletStandInOptions;
  readonly #ips = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(layout: PracticeLayout, options: KubeletStandInOptions) {
    const [first] = layout.nodes;
    const kubeConfig = new KubeConfig();
    this.kubeConfig = kubeConfig;
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'practice', server: layout.apiServer.url, caFile: first?.files.caCert }],
      users: [{ name: 'admin', certFile: layout.users.admin.cert, keyFile: layout.users.admin.key }],
      contexts: [{ name: 'practice', cluster: 'practice', user: 'admin' }],
      currentContext: 'practice',
    });
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.#options = options;
  }

  async start(): Promise<void> {
    for (const name of this.#options.nodes) await this.registerNode(name, true);
    this.#timer = setInterval(() => void this.#tick(), 100);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async registerNode(name: string, ready: boolean, labels: Record<string, string> = {}): Promise<void> {
    const body = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    };
    await this.core.createNode({ body }).catch(() => undefined);
    const status = {
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletReady', lastTransitionTime: now() },
      ],
    };
    await this.core.patchNodeStatus({ name, body: { status } }, MERGE_PATCH);
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const pods = await this.core.listPodForAllNamespaces();
      for (const pod of pods.items) {
        const node = pod.spec?.nodeName;
        if (!node || !this.#options.nodes.includes(node) || pod.metadata?.deletionTimestamp) continue;
        if (this.#options.hold?.(pod)) continue;
        const phase = this.#options.finish?.(pod) ?? 'Running';
        if (pod.status?.phase === phase) continue;
        await this.#report(pod, phase).catch(() => undefined);
      }
    } catch {
      // the API server is going down with the test
    } finally {
      this.#busy = false;
    }
  }

  async #report(pod: V1Pod, phase: 'Running' | 'Succeeded' | 'Failed'): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    if (!this.#ips.has(uid)) this.#ips.set(uid, `10.244.0.${this.#ips.size + 2}`);
    const ready = phase === 'Running' ? 'True' : 'False';
    const status = {
      phase,
      podIP: this.#ips.get(uid),
      hostIP: '127.0.0.1',
      startTime: now(),
      containerStatuses: (pod.spec?.containers ?? []).map((container) => ({
        name: container.name,
        image: container.image,
        imageID: '',
        ready: phase === 'Running',
        restartCount: 0,
        started: phase === 'Running',
        state:
          phase === 'Running'
            ? { running: { startedAt: now() } }
            : {
                terminated: {
                  exitCode: phase === 'Succeeded' ? 0 : 1,
                  reason: phase === 'Succeeded' ? 'Completed' : 'Error',
                },
              },
      })),
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now() },
        { type: 'Initialized', status: 'True', lastTransitionTime: now() },
        { type: 'ContainersReady', status: ready, lastTransitionTime: now() },
        { type: 'Ready', status: ready, lastTransitionTime: now() },
      ],
    };
    await this.core.patchNamespacedPodStatus(
      { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default', body: { status } },
      MERGE_PATCH,
    );
  }
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
