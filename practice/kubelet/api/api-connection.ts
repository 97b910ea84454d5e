import { setTimeout as delay } from 'node:timers/promises';
import type { NodeLayout } from '../../layout.ts';
import type { Kubelet } from '../kubelet.ts';
import type { KubeletFiles } from '../kubelet-paths.ts';
import { HostsSync } from './hosts-sync.ts';
import { connectKubeApi, createVolumeReader, watchNodePods } from './kube-api.ts';
import { postNodeStatus, registerNode, renewNodeLease } from './node-status.ts';
import { isMirrorPod, PodStatusSync } from './pod-status-sync.ts';

const LEASE_RENEW_MS = 10_000;
const STATUS_REPORT_MS = 60_000;
const HOSTS_REFRESH_MS = 2000;

export interface ConnectionOptions {
  kubelet: Kubelet;
  node: NodeLayout;
  files: KubeletFiles;
  log(message: string): void;
}

// Registers the Node (retrying until the API server answers and allows it), then keeps its Lease
// and status fresh, feeds the pods bound to it to the kubelet and publishes their status.
export async function connectToApiServer(options: ConnectionOptions): Promise<() => void> {
  const { kubelet, node, files, log } = options;
  const api = connectKubeApi(files.kubeconfig);
  const since = new Date();
  const stopped = new AbortController();
  let stopWatch: () => void = () => undefined;
  const run = async () => {
    let nodeUid = '';
    for (let attempt = 0; !stopped.signal.aborted; attempt++) {
      try {
        nodeUid = await registerNode(api, node, since);
        break;
      } catch (error) {
        if (attempt % 50 === 0) log(`registering node ${node.name}: ${(error as Error).message}; retrying`);
        await delay(200, undefined, { signal: stopped.signal }).catch(() => undefined);
      }
    }
    if (stopped.signal.aborted) return;
    log(`node ${node.name} registered`);
    const sync = new PodStatusSync(api, { name: node.name, uid: nodeUid }, () => kubelet.workers);
    const hosts = new HostsSync(api, () => kubelet.workers);
    kubelet.connect(createVolumeReader(api), {
      statusChanged: (worker) => sync.statusChanged(worker),
      podStopped: (pod) => sync.podStopped(pod),
      prepareHosts: (worker) => hosts.prepare(worker),
    });
    stopWatch = watchNodePods(api, node.name, (pods) => {
      sync.setPods(pods);
      kubelet.setApiPods(pods.filter((pod) => !isMirrorPod(pod)));
    });
    const every = (ms: number, action: () => Promise<void>, what: string) => {
      const timer = setInterval(
        () => action().catch((error: unknown) => log(`${what}: ${(error as Error).message}`)),
        ms,
      );
      stopped.signal.addEventListener('abort', () => clearInterval(timer));
    };
    await renewNodeLease(api, node, nodeUid).catch((error: unknown) => log(`lease: ${(error as Error).message}`));
    every(LEASE_RENEW_MS, () => renewNodeLease(api, node, nodeUid), 'lease');
    every(STATUS_REPORT_MS, () => postNodeStatus(api, node, since), 'node status');
    every(HOSTS_REFRESH_MS, () => hosts.refresh(), 'hosts files');
  };
  void run();
  return () => {
    stopped.abort();
    stopWatch();
  };
}
