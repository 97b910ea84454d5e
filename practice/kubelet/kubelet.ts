import type { V1Pod } from '@kubernetes/client-node';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import { createPodNetwork, removePodNetwork } from '../network/pod-network.ts';
import type { KubeletFiles } from './kubelet-paths.ts';
import { renderEtcHosts, writeEtcHosts } from './pods/etc-hosts.ts';
import { PodAddresses } from './pods/pod-addresses.ts';
import type { VolumeReader } from './pods/pod-volumes.ts';
import { PodWorker } from './pods/pod-worker.ts';

export interface KubeletOptions {
  layout: PracticeLayout;
  node: NodeLayout;
  files: KubeletFiles;
  nfsExportsDir: string;
}

/** What the kubelet tells the API side: a pod's status changed, a pod has stopped. */
export interface PodEvents {
  statusChanged(worker: PodWorker): void;
  podStopped(pod: V1Pod): void;
  /** Writes a pod's hosts file from its namespace's objects. */
  prepareHosts?(worker: PodWorker): Promise<void>;
}

// Before the API answers (static pods), a pod's hosts file names only the pod itself.
const writeOwnHosts = async (worker: PodWorker) => {
  if (worker.hostsFile) {
    const content = renderEtcHosts(worker.pod, worker.podIP, { pods: [], services: [], endpoints: [] });
    await writeEtcHosts(worker.hostsFile, content);
  }
};

const NO_API: VolumeReader = {
  readSecret: async () => null,
  readConfigMap: async () => null,
  readClaimVolumeName: async () => null,
  readPersistentVolume: async () => null,
};

// The node's pods from both sources (its manifest folder and the API), each run by a PodWorker:
// a pod that appears is started, a pod that disappears or carries a deletionTimestamp is stopped.
export class Kubelet {
  readonly options: KubeletOptions;
  readonly #workers = new Map<string, PodWorker>();
  readonly #stopping = new Map<string, Promise<void>>();
  readonly #addresses: PodAddresses;
  #staticPods: V1Pod[] = [];
  #apiPods: V1Pod[] = [];
  #reader: VolumeReader = NO_API;
  #events: PodEvents = { statusChanged: () => undefined, podStopped: () => undefined };
  #shutdown = false;

  constructor(options: KubeletOptions) {
    this.options = options;
    this.#addresses = new PodAddresses(options.node.address);
  }

  connect(reader: VolumeReader, events: PodEvents): void {
    this.#reader = reader;
    this.#events = events;
    for (const worker of this.#workers.values()) events.statusChanged(worker);
  }

  get workers(): PodWorker[] {
    return [...this.#workers.values()];
  }

  findWorker(namespace: string, name: string): PodWorker | undefined {
    return this.workers.find(
      (worker) => worker.pod.metadata?.namespace === namespace && worker.pod.metadata?.name === name,
    );
  }

  setStaticPods(pods: V1Pod[]): void {
    this.#staticPods = pods;
    this.#sync();
  }

  setApiPods(pods: V1Pod[]): void {
    this.#apiPods = pods;
    this.#sync();
  }

  #sync(): void {
    if (this.#shutdown) return;
    const desired = new Map<string, V1Pod>();
    for (const pod of [...this.#staticPods, ...this.#apiPods]) {
      if (pod.metadata?.uid && !pod.metadata.deletionTimestamp) desired.set(pod.metadata.uid, pod);
    }
    for (const [uid, worker] of this.#workers) {
      if (desired.has(uid)) continue;
      const deleting = this.#apiPods.find((pod) => pod.metadata?.uid === uid);
      void this.#stopWorker(worker, deleting?.metadata?.deletionGracePeriodSeconds);
    }
    for (const [uid, pod] of desired) {
      if (this.#workers.has(uid) || this.#stopping.has(uid)) continue;
      this.#startWorker(pod);
    }
  }

  #startWorker(pod: V1Pod): void {
    const { node, layout, files } = this.options;
    const uid = pod.metadata?.uid as string;
    const podIP = pod.spec?.hostNetwork ? node.address : this.#addresses.assign(uid, pod.status?.podIP);
    const hostname = pod.spec?.hostNetwork ? node.name : (pod.spec?.hostname ?? pod.metadata?.name ?? '');
    const worker = new PodWorker(pod, {
      files,
      nodeRoot: node.root,
      nfsExportsDir: this.options.nfsExportsDir,
      reader: {
        readSecret: (...args) => this.#reader.readSecret(...args),
        readConfigMap: (...args) => this.#reader.readConfigMap(...args),
        readClaimVolumeName: (...args) => this.#reader.readClaimVolumeName(...args),
        readPersistentVolume: (...args) => this.#reader.readPersistentVolume(...args),
      },
      network: {
        podIP,
        hostIP: node.address,
        hostname,
        apiServer: { host: layout.apiServer.host, port: layout.apiServer.port },
      },
      sandboxNetwork: pod.spec?.hostNetwork
        ? { create: async () => null, remove: async () => undefined }
        : { create: () => createPodNetwork(node, podIP), remove: () => removePodNetwork(node, podIP) },
      prepareHosts: async (starting) => {
        await (this.#events.prepareHosts ?? writeOwnHosts)(starting).catch(() => writeOwnHosts(starting));
      },
      onChange: (changed) => {
        if (this.#workers.get(uid) === changed) this.#events.statusChanged(changed);
      },
    });
    this.#workers.set(uid, worker);
    this.#events.statusChanged(worker);
  }

  async #stopWorker(worker: PodWorker, graceSeconds?: number | null): Promise<void> {
    const uid = worker.uid;
    this.#workers.delete(uid);
    const stopping = worker.stop(graceSeconds ?? undefined).finally(() => {
      this.#stopping.delete(uid);
      this.#addresses.release(uid);
      this.#events.podStopped(worker.pod);
      this.#sync();
    });
    this.#stopping.set(uid, stopping);
    await stopping;
  }

  // Stops every pod (for `practice down`): a practice node leaves nothing running behind it.
  async shutdown(): Promise<void> {
    this.#shutdown = true;
    await Promise.all([...this.#workers.values()].map((worker) => this.#stopWorker(worker)));
    await Promise.all(this.#stopping.values());
  }
}
