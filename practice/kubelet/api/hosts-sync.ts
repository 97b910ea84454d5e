import type { V1Pod } from '@kubernetes/client-node';
import { type NamespaceNames, renderEtcHosts, writeEtcHosts } from '../pods/etc-hosts.ts';
import type { PodWorker } from '../pods/pod-worker.ts';
import type { KubeApi } from './kube-api.ts';

// Keeps the hosts file of every pod this kubelet runs (hostNetwork pods keep the node's) in step
// with the pods, Services and Endpoints of its namespace: once before its containers start, then
// on every refresh.
export class HostsSync {
  readonly #api: KubeApi;
  readonly #workers: () => PodWorker[];

  constructor(api: KubeApi, workers: () => PodWorker[]) {
    this.#api = api;
    this.#workers = workers;
  }

  async prepare(worker: PodWorker): Promise<void> {
    const names = await this.#readNamespace(namespaceOf(worker.pod));
    await writeWorkerHosts(worker, names);
  }

  async refresh(): Promise<void> {
    const workers = this.#workers().filter((worker) => worker.hostsFile !== null);
    const namespaces = [...new Set(workers.map((worker) => namespaceOf(worker.pod)))];
    await Promise.all(
      namespaces.map(async (namespace) => {
        const names = await this.#readNamespace(namespace);
        const inNamespace = workers.filter((worker) => namespaceOf(worker.pod) === namespace);
        await Promise.all(inNamespace.map((worker) => writeWorkerHosts(worker, names)));
      }),
    );
  }

  async #readNamespace(namespace: string): Promise<NamespaceNames> {
    const { core } = this.#api;
    const [pods, services, endpoints] = await Promise.all([
      core.listNamespacedPod({ namespace }),
      core.listNamespacedService({ namespace }),
      core.listNamespacedEndpoints({ namespace }),
    ]);
    return { pods: pods.items, services: services.items, endpoints: endpoints.items };
  }
}

function namespaceOf(pod: V1Pod): string {
  return pod.metadata?.namespace ?? 'default';
}

async function writeWorkerHosts(worker: PodWorker, names: NamespaceNames): Promise<void> {
  if (worker.hostsFile) await writeEtcHosts(worker.hostsFile, renderEtcHosts(worker.pod, worker.podIP, names));
}
