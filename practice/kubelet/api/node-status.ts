import os from 'node:os';
import type { V1Lease, V1Node, V1NodeStatus } from '@kubernetes/client-node';
import type { NodeLayout } from '../../layout.ts';
import { KUBELET_PORT } from '../kubelet-paths.ts';
import { isConflict, isNotFound, type KubeApi } from './kube-api.ts';

export const KUBELET_VERSION = 'v1.32.3';
const LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_DURATION_SECONDS = 40;

// The Node object as a kubeadm control-plane node registers it (no NoSchedule taint: every
// practice node is a control-plane node and must take workloads).
export function nodeObject(node: NodeLayout): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
        'node.kubernetes.io/exclude-from-external-load-balancers': '',
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {},
  };
}

export function nodeStatus(node: NodeLayout, since: Date): V1NodeStatus {
  const heartbeat = new Date();
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: since,
  });
  const resources = {
    cpu: String(os.cpus().length),
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    pods: '110',
    'ephemeral-storage': '61202244Ki',
  };
  return {
    addresses: [
      { type: 'InternalIP', address: node.address },
      { type: 'Hostname', address: node.name },
    ],
    allocatable: resources,
    capacity: resources,
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    nodeInfo: {
      architecture: 'amd64',
      bootID: node.name,
      containerRuntimeVersion: 'containerd://practice',
      kernelVersion: os.release(),
      kubeProxyVersion: KUBELET_VERSION,
      kubeletVersion: KUBELET_VERSION,
      machineID: node.name,
      operatingSystem: 'linux',
      osImage: 'Drillbook practice node',
      systemUUID: node.name,
    },
  };
}

// Creates the Node (or finds it) and posts its status; answers the Node's uid.
export async function registerNode(api: KubeApi, node: NodeLayout, since: Date): Promise<string> {
  let registered: V1Node;
  try {
    registered = await api.core.createNode({ body: nodeObject(node) });
  } catch (error) {
    if (!isConflict(error)) throw error;
    registered = await api.core.readNode({ name: node.name });
  }
  await postNodeStatus(api, node, since);
  return registered.metadata?.uid ?? '';
}

export async function postNodeStatus(api: KubeApi, node: NodeLayout, since: Date): Promise<void> {
  const current = await api.core.readNode({ name: node.name });
  await api.core.replaceNodeStatus({ name: node.name, body: { ...current, status: nodeStatus(node, since) } });
}

// The node's heartbeat: its Lease in kube-node-lease, renewed every ten seconds.
export async function renewNodeLease(api: KubeApi, node: NodeLayout, nodeUid: string): Promise<void> {
  const lease: V1Lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.name,
      namespace: LEASE_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: nodeUid }],
    },
    spec: {
      holderIdentity: node.name,
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      renewTime: new Date(),
    },
  };
  try {
    const current = await api.coordination.readNamespacedLease({ name: node.name, namespace: LEASE_NAMESPACE });
    await api.coordination.replaceNamespacedLease({
      name: node.name,
      namespace: LEASE_NAMESPACE,
      body: { ...current, spec: { ...current.spec, ...lease.spec } },
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await api.coordination.createNamespacedLease({ namespace: LEASE_NAMESPACE, body: lease });
  }
}
