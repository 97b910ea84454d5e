import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, StorageV1Api, Watch } from '@kubernetes/client-node';

export interface ClientCertificateFiles {
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

// Every API the controllers talk to, all from one KubeConfig: the controllers never reach the
// cluster another way.
export interface ClusterClient {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  storage: StorageV1Api;
  watch: Watch;
}

// A client that authenticates with a client certificate and trusts only the cluster CA.
export function createClusterClient(files: ClientCertificateFiles): ClusterClient {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'practice', server: files.server, caFile: files.caFile, skipTLSVerify: false }],
    users: [{ name: 'controller-manager', certFile: files.certFile, keyFile: files.keyFile }],
    contexts: [{ name: 'practice', cluster: 'practice', user: 'controller-manager' }],
    currentContext: 'practice',
  });
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
    storage: kubeConfig.makeApiClient(StorageV1Api),
    watch: new Watch(kubeConfig),
  };
}
