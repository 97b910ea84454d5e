import path from 'node:path';
import { type DaemonFiles, type NodeLayout, onNode, type PracticeLayout } from '../layout.ts';

export const KUBELET_PORT = 10250;

export interface KubeletFiles extends DaemonFiles {
  /** Kubelet-private state on this machine, outside the node (pid records, sandbox mount points). */
  stateDir: string;
  /** One pid record per running container: `<namespace>_<pod>_<container>.pid`. */
  containersDir: string;
  sandboxesDir: string;
  /** The node's /var/lib/kubelet/pods: each pod's volumes. */
  podsDir: string;
  /** The node's /var/log/pods and /var/log/containers. */
  podLogsDir: string;
  containerLogLinksDir: string;
  manifestsDir: string;
  /** kubeadm's /etc/kubernetes/kubelet.conf and the certificates it names. */
  kubeconfig: string;
  clientPem: string;
  servingCert: string;
  servingKey: string;
  address: string;
  port: number;
}

// Where node NAME's kubelet keeps everything; the node-side paths are kubeadm's.
export function kubeletFiles(layout: PracticeLayout, node: NodeLayout): KubeletFiles {
  const stateDir = path.join(layout.runDir, `kubelet-${node.name}`);
  const pki = (file: string) => onNode(node.root, `/var/lib/kubelet/pki/${file}`);
  return {
    logFile: path.join(layout.runDir, `kubelet-${node.name}.log`),
    pidFile: path.join(layout.runDir, `kubelet-${node.name}.pid`),
    stateDir,
    containersDir: path.join(stateDir, 'containers'),
    sandboxesDir: path.join(stateDir, 'sandboxes'),
    podsDir: onNode(node.root, '/var/lib/kubelet/pods'),
    podLogsDir: onNode(node.root, '/var/log/pods'),
    containerLogLinksDir: onNode(node.root, '/var/log/containers'),
    manifestsDir: node.files.manifests,
    kubeconfig: onNode(node.root, '/etc/kubernetes/kubelet.conf'),
    clientPem: pki('kubelet-client-current.pem'),
    servingCert: pki('kubelet.crt'),
    servingKey: pki('kubelet.key'),
    address: node.address,
    port: KUBELET_PORT,
  };
}

export function containerRecordName(namespace: string, pod: string, container: string): string {
  return `${namespace}_${pod}_${container}.pid`;
}
