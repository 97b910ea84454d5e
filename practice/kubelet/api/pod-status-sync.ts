import type { V1Pod } from '@kubernetes/client-node';
import type { PodWorker } from '../pods/pod-worker.ts';
import { CONFIG_HASH, CONFIG_MIRROR, CONFIG_SOURCE } from '../sources/static-pods.ts';
import { isConflict, isNotFound, type KubeApi } from './kube-api.ts';

const FLUSH_DELAY_MS = 50;
const RETRY_MS = 1000;

export function isMirrorPod(pod: V1Pod): boolean {
  return pod.metadata?.annotations?.[CONFIG_MIRROR] !== undefined;
}

function isStaticPod(pod: V1Pod): boolean {
  return pod.metadata?.annotations?.[CONFIG_SOURCE] === 'file';
}

// Writes what the kubelet sees back to the API: each pod's status (a static pod's through its
// mirror pod, created when missing, with the Node as owner), the final delete of a pod that was
// being deleted, and the removal of a mirror pod whose manifest is gone.
export class PodStatusSync {
  readonly #api: KubeApi;
  readonly #node: { name: string; uid: string };
  readonly #dirty = new Map<string, PodWorker>();
  #mirrors = new Map<string, V1Pod>();
  #apiPods = new Map<string, V1Pod>();
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  readonly #workers: () => PodWorker[];

  constructor(api: KubeApi, node: { name: string; uid: string }, workers: () => PodWorker[]) {
    this.#api = api;
    this.#node = node;
    this.#workers = workers;
  }

  // The node's pods as the watch reports them; a static pod whose mirror went missing gets it back.
  setPods(pods: V1Pod[]): void {
    this.#mirrors = new Map(pods.filter(isMirrorPod).map((pod) => [mirrorKey(pod), pod]));
    this.#apiPods = new Map(pods.filter((pod) => !isMirrorPod(pod)).map((pod) => [pod.metadata?.uid ?? '', pod]));
    for (const worker of this.#workers()) {
      if (isStaticPod(worker.pod) && !this.#mirrorMatches(worker.pod)) this.statusChanged(worker);
    }
  }

  statusChanged(worker: PodWorker): void {
    this.#dirty.set(worker.uid, worker);
    this.#schedule(FLUSH_DELAY_MS);
  }

  podStopped(pod: V1Pod): void {
    this.#dirty.delete(pod.metadata?.uid ?? '');
    this.#flushing = this.#flushing
      .then(() => this.#afterStop(pod))
      .catch((error: unknown) => report('stopped pod', error));
  }

  #schedule(ms: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const batch = [...this.#dirty.values()];
      this.#dirty.clear();
      this.#flushing = this.#flushing.then(() => this.#flush(batch));
    }, ms);
  }

  async #flush(batch: PodWorker[]): Promise<void> {
    for (const worker of batch) {
      if (!this.#workers().includes(worker)) continue;
      try {
        await this.#publish(worker);
      } catch (error) {
        report(worker.key, error);
        if (!this.#dirty.has(worker.uid)) this.#dirty.set(worker.uid, worker);
        this.#schedule(RETRY_MS);
      }
    }
  }

  async #publish(worker: PodWorker): Promise<void> {
    const { namespace = 'default', name = '' } = worker.pod.metadata ?? {};
    if (isStaticPod(worker.pod) && !this.#mirrorMatches(worker.pod)) await this.#createMirror(worker.pod);
    try {
      const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, status: worker.status() };
      await this.#api.core.replaceNamespacedPodStatus({ name, namespace, body });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  #mirrorMatches(pod: V1Pod): boolean {
    const mirror = this.#mirrors.get(mirrorKey(pod));
    return mirror?.metadata?.annotations?.[CONFIG_MIRROR] === pod.metadata?.uid;
  }

  async #createMirror(pod: V1Pod): Promise<void> {
    const { namespace = 'default', name = '', uid = '' } = pod.metadata ?? {};
    if (this.#mirrors.has(mirrorKey(pod))) await this.#deletePod(namespace, name);
    const { uid: _uid, resourceVersion: _rv, ...metadata } = pod.metadata ?? {};
    const body: V1Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...metadata,
        annotations: { ...metadata.annotations, [CONFIG_MIRROR]: uid, [CONFIG_HASH]: uid },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Node', name: this.#node.name, uid: this.#node.uid, controller: true },
        ],
      },
      ...(pod.spec ? { spec: pod.spec } : {}),
    };
    try {
      const created = await this.#api.core.createNamespacedPod({ namespace, body });
      this.#mirrors.set(mirrorKey(pod), created);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  async #afterStop(pod: V1Pod): Promise<void> {
    const { namespace = 'default', name = '', uid = '' } = pod.metadata ?? {};
    if (isStaticPod(pod)) {
      const mirror = this.#mirrors.get(mirrorKey(pod));
      const replaced = this.#workers().some((worker) => mirrorKey(worker.pod) === mirrorKey(pod));
      if (mirror && !replaced) await this.#deletePod(namespace, name);
      return;
    }
    const latest = this.#apiPods.get(uid);
    if (latest?.metadata?.deletionTimestamp) await this.#deletePod(namespace, name, uid);
  }

  async #deletePod(namespace: string, name: string, uid?: string): Promise<void> {
    try {
      await this.#api.core.deleteNamespacedPod({
        name,
        namespace,
        gracePeriodSeconds: 0,
        ...(uid ? { body: { preconditions: { uid } } } : {}),
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

function mirrorKey(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

function report(what: string, error: unknown): void {
  console.error(`${new Date().toISOString()} status of ${what}: ${(error as Error).message}`);
}
