import type { V1Pod } from '@kubernetes/client-node';
import { clientNode } from './client-node.ts';
import { describeApiFailure, type PinnedApi } from './kube-api.ts';

export interface PodsProgress {
  ready: number;
  total: number;
}

export interface WaitForPodsRequest {
  namespace: string;
  selector: string;
  /** How many must be Ready; null: all that match, and at least one. */
  count: number | null;
  timeoutMs: number;
  signal: AbortSignal;
  onProgress: (progress: PodsProgress) => void;
}

export type WaitForPodsOutcome =
  | { kind: 'ready'; progress: PodsProgress }
  | { kind: 'timed-out' | 'canceled'; progress: PodsProgress }
  | { kind: 'failed'; message: string };

const RETRY_MS = 500;

// Waits until the selected pods are Ready: a list, then a watch from its resourceVersion (listed
// again when the watch ends early). Progress is reported each time the count changes.
export async function waitForPods(api: PinnedApi, request: WaitForPodsRequest): Promise<WaitForPodsOutcome> {
  const ready = new Map<string, boolean>();
  const progress = (): PodsProgress => ({ ready: [...ready.values()].filter(Boolean).length, total: ready.size });
  let last = '';
  const report = () => {
    const now = progress();
    const key = `${now.ready}/${now.total}`;
    if (key !== last) request.onProgress(now);
    last = key;
    return request.count === null ? now.total > 0 && now.ready === now.total : now.ready >= request.count;
  };
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const stop = AbortSignal.any([deadline, request.signal]);
  const core = api.config.makeApiClient(clientNode().CoreV1Api);
  const path = `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods`;
  while (!stop.aborted) {
    let resourceVersion: string | undefined;
    try {
      const list = await core.listNamespacedPod({ namespace: request.namespace, labelSelector: request.selector });
      ready.clear();
      for (const pod of list.items) ready.set(pod.metadata?.name ?? '', isReady(pod));
      resourceVersion = list.metadata?.resourceVersion;
    } catch (error) {
      return {
        kind: 'failed',
        message: describeApiFailure(`listing pods ${request.selector} in ${request.namespace}`, error),
      };
    }
    if (report()) return { kind: 'ready', progress: progress() };
    const met = await watchUntil(api, path, { labelSelector: request.selector, resourceVersion }, stop, (type, pod) => {
      const name = pod.metadata?.name ?? '';
      if (type === 'DELETED') ready.delete(name);
      else ready.set(name, isReady(pod));
      return report();
    });
    if (met) return { kind: 'ready', progress: progress() };
    if (!stop.aborted) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  return { kind: request.signal.aborted ? 'canceled' : 'timed-out', progress: progress() };
}

// Follows one watch until `onEvent` says done (true), the watch ends (false), or `stop` aborts.
async function watchUntil(
  api: PinnedApi,
  path: string,
  query: Record<string, string | undefined>,
  stop: AbortSignal,
  onEvent: (type: string, pod: V1Pod) => boolean,
): Promise<boolean> {
  const params = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
  return new Promise((resolve) => {
    let controller: AbortController | undefined;
    let settled = false;
    const settle = (met: boolean) => {
      if (settled) return;
      settled = true;
      stop.removeEventListener('abort', onStop);
      controller?.abort();
      resolve(met);
    };
    const onStop = () => settle(false);
    stop.addEventListener('abort', onStop, { once: true });
    new (clientNode().Watch)(api.config)
      .watch(
        path,
        { ...params, allowWatchBookmarks: true },
        (type, object) => {
          if (type === 'BOOKMARK' || type === 'ERROR') return;
          if (onEvent(type, object as V1Pod)) settle(true);
        },
        () => settle(false),
      )
      .then(
        (started) => {
          controller = started;
          if (settled) started.abort();
        },
        () => settle(false),
      );
  });
}

function isReady(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  return (
    pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false
  );
}
