import { ETCD_CLIENT_PORT, ETCD_METRICS_PORT, KUBEADM_PATHS } from '../kubeadm-paths.ts';
import { type NodeLayout, onNode, type PracticeLayout } from '../layout.ts';

export const ETCD_BINARY = '/usr/bin/etcd';
export const ETCD_IMAGE = 'registry.k8s.io/etcd:3.4.23-0';

/** The node's own loopback, in the node's network namespace: kubeadm's local client and metrics URLs. */
export const LOCAL_CLIENT_URL = `https://127.0.0.1:${ETCD_CLIENT_PORT}`;
export const LOCAL_METRICS_URL = `http://127.0.0.1:${ETCD_METRICS_PORT}`;

// A member's command line as kubeadm writes it into etcd.yaml, with the node's own paths
// (/etc/kubernetes/pki/etcd/…, /var/lib/etcd). Only the node addresses differ from a real node,
// and metrics are also served on the node's address, where `up` waits for the member's health.
export function etcdMemberCommand(layout: PracticeLayout, node: NodeLayout): string[] {
  const paths = KUBEADM_PATHS;
  const initialCluster = layout.nodes.map((member) => `${member.name}=${member.etcd.peerUrl}`).join(',');
  return [
    'etcd',
    `--advertise-client-urls=${node.etcd.clientUrl}`,
    `--cert-file=${paths.etcdServerCert}`,
    '--client-cert-auth=true',
    `--data-dir=${paths.etcdDataDir}`,
    '--experimental-initial-corrupt-check=true',
    '--experimental-watch-progress-notify-interval=5s',
    `--initial-advertise-peer-urls=${node.etcd.peerUrl}`,
    `--initial-cluster=${initialCluster}`,
    '--initial-cluster-state=new',
    `--key-file=${paths.etcdServerKey}`,
    `--listen-client-urls=${LOCAL_CLIENT_URL},${node.etcd.clientUrl}`,
    `--listen-metrics-urls=${LOCAL_METRICS_URL},${node.etcd.metricsUrl}`,
    `--listen-peer-urls=${node.etcd.peerUrl}`,
    `--name=${node.name}`,
    `--peer-cert-file=${paths.etcdPeerCert}`,
    '--peer-client-cert-auth=true',
    `--peer-key-file=${paths.etcdPeerKey}`,
    `--peer-trusted-ca-file=${paths.etcdCaCert}`,
    '--snapshot-count=10000',
    `--trusted-ca-file=${paths.etcdCaCert}`,
  ];
}

// The same command with every node path moved under the node's root, ready to run on this machine.
export function hostCommand(node: NodeLayout, command: string[]): { file: string; args: string[] } {
  const [, ...args] = command;
  const nodeRoots = [KUBEADM_PATHS.etcKubernetes, KUBEADM_PATHS.etcdDataDir];
  const mapped = args.map((arg) => {
    const match = /^(--[\w-]+=)(\/.*)$/.exec(arg);
    if (!match?.[1] || !match[2]) return arg;
    const value = match[2];
    const isNodePath = nodeRoots.some((root) => value === root || value.startsWith(`${root}/`));
    return isNodePath ? `${match[1]}${onNode(node.root, value)}` : arg;
  });
  return { file: ETCD_BINARY, args: mapped };
}
