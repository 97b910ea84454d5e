import { ApiException, CoordinationV1Api, CoreV1Api, KubeConfig, type V1Pod, Watch } from '@kubernetes/client-node';
import type { VolumeReader } from '../pods/pod-volumes.ts';

export interface KubeApi {
  config: KubeConfig;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
  watch: Watch;
}

// The kubelet's API clients, authenticated by kubelet.conf (the node's client certificate).
export function connectKubeApi(kubeconfig: string): KubeApi {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    coordination: config.makeApiClient(CoordinationV1Api),
    watch: new Watch(config),
  };
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

// Secrets, ConfigMaps and volumes as a pod's env and volumes read them.
export function createVolumeReader(api: KubeApi): VolumeReader {
  const { core } = api;
  return {
    async readSecret(namespace, name) {
      const secret = await orNull(core.readNamespacedSecret({ name, namespace }));
      if (!secret) return null;
      const decoded = Object.entries(secret.data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString(),
      ]);
      return { ...Object.fromEntries(decoded), ...secret.stringData };
    },
    async readConfigMap(namespace, name) {
      const map = await orNull(core.readNamespacedConfigMap({ name, namespace }));
      if (!map) return null;
      const binary = Object.entries(map.binaryData ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString(),
      ]);
      return { ...Object.fromEntries(binary), ...map.data };
    },
    async readClaimVolumeName(namespace, name) {
      const claim = await orNull(core.readNamespacedPersistentVolumeClaim({ name, namespace }));
      return claim?.spec?.volumeName || null;
    },
    readPersistentVolume: (name) => orNull(core.readPersistentVolume({ name })),
  };
}

// Lists then watches the pods bound to this node, calling onPods with the whole set after every
// change; a broken watch is re-listed after a second, as an informer does.
export function watchNodePods(api: KubeApi, nodeName: string, onPods: (pods: V1Pod[]) => void): () => void {
  const fieldSelector = `spec.nodeName=${nodeName}`;
  const pods = new Map<string, V1Pod>();
  let stopped = false;
  let abort: (() => void) | null = null;
  const publish = () => onPods([...pods.values()]);
  const cycle = async (): Promise<void> => {
    while (!stopped) {
      try {
        const list = await api.core.listPodForAllNamespaces({ fieldSelector });
        pods.clear();
        for (const pod of list.items) pods.set(pod.metadata?.uid ?? '', pod);
        publish();
        await new Promise<void>((resolve, reject) => {
          const path = '/api/v1/pods';
          const query = {
            fieldSelector,
            resourceVersion: list.metadata?.resourceVersion ?? '',
            allowWatchBookmarks: true,
          };
          api.watch
            .watch(
              path,
              query,
              (type: string, pod: V1Pod) => {
                const uid = pod.metadata?.uid ?? '';
                if (type === 'BOOKMARK') return;
                if (type === 'DELETED') pods.delete(uid);
                else pods.set(uid, pod);
                publish();
              },
              (error: unknown) => (error ? reject(error) : resolve()),
            )
            .then((request) => {
              abort = () => request.abort();
            }, reject);
        });
      } catch (error) {
        if (!stopped) console.error(`watching pods: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  void cycle();
  return () => {
    stopped = true;
    abort?.();
  };
}
