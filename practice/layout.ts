import path from 'node:path';
import { type NodeCount, readNodeCount } from './cluster/node-count.ts';
import {
  API_SERVER_PORT,
  ETCD_CLIENT_PORT,
  ETCD_METRICS_PORT,
  ETCD_PEER_PORT,
  KUBEADM_PATHS,
  type KubeadmFiles,
} from './kubeadm-paths.ts';
import { nodeNetworkNames, practiceSubnet } from './network/subnet.ts';

export const NODE_NAMES = ['cp-1', 'cp-2', 'cp-3'] as const;
export type NodeName = (typeof NODE_NAMES)[number];

export interface DaemonFiles {
  logFile: string;
  pidFile: string;
}

export interface ClientCredentials {
  cert: string;
  key: string;
}

export interface NodeLayout {
  name: NodeName;
  /** The node's root folder: KUBEADM_PATHS are relative to it. */
  root: string;
  address: string;
  /** The node's network namespace (ip netns) and the host end of its veth pair: see network/node-network.ts. */
  network: { namespace: string; hostLink: string };
  /** The member runs as the static pod etcd-<node>: its pid record and log are the kubelet's. */
  etcd: DaemonFiles & { clientUrl: string; peerUrl: string; metricsUrl: string };
  /** Each kubeadm path, as a path on this machine under the node's root. */
  files: KubeadmFiles;
}

export interface PracticeLayout {
  /** <state-dir>/practice */
  root: string;
  runDir: string;
  /** The operator's kubeconfig: contexts drillbook-practice and drillbook-practice-viewer. */
  kubeconfig: string;
  /** Records the subnet the certificates were issued for. */
  pkiStamp: string;
  subnet: string;
  apiServer: DaemonFiles & { host: string; port: number; url: string };
  users: { admin: ClientCredentials; viewer: ClientCredentials };
  nodes: NodeLayout[];
}

// Every path and address of the practice cluster kept under a state dir: its recorded nodes (one
// or three, cp-1…), or `nodeCount` when a command is about to create or replace it.
export function practiceLayout(stateDir: string, nodeCount?: NodeCount): PracticeLayout {
  const root = path.join(path.resolve(stateDir), 'practice');
  const nodeNames = NODE_NAMES.slice(0, nodeCount ?? readNodeCount(root));
  const runDir = path.join(root, 'run');
  const subnet = practiceSubnet(root);
  const apiHost = `${subnet}.10`;
  const usersDir = path.join(root, 'users');
  return {
    root,
    runDir,
    kubeconfig: path.join(root, 'kubeconfig'),
    pkiStamp: path.join(root, 'pki-stamp.json'),
    subnet,
    apiServer: {
      host: apiHost,
      port: API_SERVER_PORT,
      url: `https://${apiHost}:${API_SERVER_PORT}`,
      logFile: path.join(runDir, 'apiserver.log'),
      pidFile: path.join(runDir, 'apiserver.pid'),
    },
    users: {
      admin: { cert: path.join(usersDir, 'kubernetes-admin.crt'), key: path.join(usersDir, 'kubernetes-admin.key') },
      viewer: { cert: path.join(usersDir, 'drillbook-viewer.crt'), key: path.join(usersDir, 'drillbook-viewer.key') },
    },
    nodes: nodeNames.map((name, index) => nodeLayout(root, runDir, subnet, name, index + 1)),
  };
}

function nodeLayout(root: string, runDir: string, subnet: string, name: NodeName, ordinal: number): NodeLayout {
  const nodeRoot = path.join(root, 'nodes', name);
  const address = `${subnet}.${10 + ordinal}`;
  const files = Object.fromEntries(
    Object.entries(KUBEADM_PATHS).map(([key, kubeadmPath]) => [key, onNode(nodeRoot, kubeadmPath)]),
  ) as KubeadmFiles;
  return {
    name,
    root: nodeRoot,
    address,
    network: nodeNetworkNames(subnet, ordinal),
    etcd: {
      clientUrl: `https://${address}:${ETCD_CLIENT_PORT}`,
      peerUrl: `https://${address}:${ETCD_PEER_PORT}`,
      metricsUrl: `http://${address}:${ETCD_METRICS_PORT}`,
      logFile: onNode(nodeRoot, `/var/log/containers/etcd-${name}_kube-system_etcd.log`),
      pidFile: path.join(runDir, `kubelet-${name}`, 'containers', `kube-system_etcd-${name}_etcd.pid`),
    },
    files,
  };
}

// A kubeadm absolute path (/etc/kubernetes/…, /var/lib/etcd) as it lies under a node's root.
export function onNode(nodeRoot: string, kubeadmPath: string): string {
  if (!path.isAbsolute(kubeadmPath)) throw new Error(`not an absolute node path: ${kubeadmPath}`);
  return path.join(nodeRoot, kubeadmPath);
}
