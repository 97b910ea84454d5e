import { mkdir, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { ETCD_METRICS_PORT, KUBEADM_PATHS } from '../kubeadm-paths.ts';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import { ETCD_IMAGE, etcdMemberCommand } from './member-command.ts';

// The member's static-pod manifest, as kubeadm writes /etc/kubernetes/manifests/etcd.yaml.
export function renderEtcdManifest(layout: PracticeLayout, node: NodeLayout): string {
  const probe = (path: string, failureThreshold: number) => ({
    failureThreshold,
    httpGet: { host: '127.0.0.1', path, port: ETCD_METRICS_PORT, scheme: 'HTTP' },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 15,
  });
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': node.etcd.clientUrl },
      labels: { component: 'etcd', tier: 'control-plane' },
      name: 'etcd',
      namespace: 'kube-system',
    },
    spec: {
      containers: [
        {
          command: etcdMemberCommand(layout, node),
          image: ETCD_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          livenessProbe: probe('/health', 8),
          name: 'etcd',
          resources: { requests: { cpu: '100m', memory: '100Mi' } },
          startupProbe: probe('/health', 24),
          volumeMounts: [
            { mountPath: KUBEADM_PATHS.etcdDataDir, name: 'etcd-data' },
            { mountPath: KUBEADM_PATHS.etcdPki, name: 'etcd-certs' },
          ],
        },
      ],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: [
        { hostPath: { path: KUBEADM_PATHS.etcdPki, type: 'DirectoryOrCreate' }, name: 'etcd-certs' },
        { hostPath: { path: KUBEADM_PATHS.etcdDataDir, type: 'DirectoryOrCreate' }, name: 'etcd-data' },
      ],
    },
    status: {},
  };
  return stringify(pod);
}

export async function writeEtcdManifest(layout: PracticeLayout, node: NodeLayout): Promise<void> {
  await mkdir(node.files.manifests, { recursive: true });
  await writeFile(node.files.etcdManifest, renderEtcdManifest(layout, node));
}
