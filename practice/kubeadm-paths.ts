// Where a kubeadm control-plane node keeps its files. A practice node holds the same tree under
// its own root folder (nodes/cp-N/), so runbooks and manifests can name these absolute paths.
export const KUBEADM_PATHS = {
  etcKubernetes: '/etc/kubernetes',
  pki: '/etc/kubernetes/pki',
  manifests: '/etc/kubernetes/manifests',
  etcdManifest: '/etc/kubernetes/manifests/etcd.yaml',
  adminConf: '/etc/kubernetes/admin.conf',
  caCert: '/etc/kubernetes/pki/ca.crt',
  caKey: '/etc/kubernetes/pki/ca.key',
  apiServerCert: '/etc/kubernetes/pki/apiserver.crt',
  apiServerKey: '/etc/kubernetes/pki/apiserver.key',
  apiServerEtcdClientCert: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
  apiServerEtcdClientKey: '/etc/kubernetes/pki/apiserver-etcd-client.key',
  serviceAccountKey: '/etc/kubernetes/pki/sa.key',
  serviceAccountPublicKey: '/etc/kubernetes/pki/sa.pub',
  etcdPki: '/etc/kubernetes/pki/etcd',
  etcdCaCert: '/etc/kubernetes/pki/etcd/ca.crt',
  etcdCaKey: '/etc/kubernetes/pki/etcd/ca.key',
  etcdServerCert: '/etc/kubernetes/pki/etcd/server.crt',
  etcdServerKey: '/etc/kubernetes/pki/etcd/server.key',
  etcdPeerCert: '/etc/kubernetes/pki/etcd/peer.crt',
  etcdPeerKey: '/etc/kubernetes/pki/etcd/peer.key',
  etcdHealthcheckClientCert: '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  etcdHealthcheckClientKey: '/etc/kubernetes/pki/etcd/healthcheck-client.key',
  etcdDataDir: '/var/lib/etcd',
} as const;

export type KubeadmPathName = keyof typeof KUBEADM_PATHS;
export type KubeadmFiles = Record<KubeadmPathName, string>;

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;
export const ETCD_METRICS_PORT = 2381;
export const API_SERVER_PORT = 6443;
