// The practice cluster's Kubernetes API server: real etcd underneath, kube-apiserver's flags on
// top. `npm run practice -- up` starts it; it can also be run by hand with the flags below.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { RbacAuthorizer } from './auth/rbac-authorizer.ts';
import { seedCluster } from './bootstrap/seed-cluster.ts';
import { ClusterWatch } from './controllers/cluster-watch.ts';
import { CRD_PREFIX, crdController } from './controllers/crd-controller.ts';
import { garbageCollector } from './controllers/garbage-collector.ts';
import { namespaceController } from './controllers/namespace-controller.ts';
import { createApiServer } from './http/api-server.ts';
import { ObjectService } from './objects/object-service.ts';
import { ResourceRegistry } from './resources/resource-registry.ts';
import { EtcdStorage, type WatchEvent } from './storage/etcd-storage.ts';

const FlagsSchema = z.object({
  'bind-address': z.string().default('127.0.0.1'),
  'secure-port': z.coerce.number().int().min(0).max(65535).default(6443),
  'etcd-servers': z
    .string()
    .min(1, 'etcd-servers is required')
    .transform((text) => text.split(',')),
  'etcd-cafile': z.string().optional(),
  'etcd-certfile': z.string().optional(),
  'etcd-keyfile': z.string().optional(),
  'tls-cert-file': z.string(),
  'tls-private-key-file': z.string(),
  'client-ca-file': z.string(),
  'kubelet-client-certificate': z.string().optional(),
  'kubelet-client-key': z.string().optional(),
  'kubelet-certificate-authority': z.string().optional(),
  'state-dir': z.string().optional(),
});

const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(FlagsSchema.shape).map((name) => [name, { type: 'string' as const }])),
  strict: true,
});
const flags = FlagsSchema.parse(values);
const log = (message: string, error?: unknown) =>
  console.error(`${new Date().toISOString()} ${message}${error instanceof Error ? `: ${error.message}` : ''}`);

const storage = EtcdStorage.connect({
  endpoints: flags['etcd-servers'],
  ...(flags['etcd-cafile'] ? { caFile: flags['etcd-cafile'] } : {}),
  ...(flags['etcd-certfile'] ? { certFile: flags['etcd-certfile'] } : {}),
  ...(flags['etcd-keyfile'] ? { keyFile: flags['etcd-keyfile'] } : {}),
});
const registry = new ResourceRegistry();
const objects = new ObjectService(storage, registry);
const authorizer = new RbacAuthorizer(storage);
const watch = new ClusterWatch(storage, log);
const refreshCrds = crdController(objects);
watch.on(CRD_PREFIX, refreshCrds);
// Owners vanish on deletes; a new dependent may name an owner already gone; a deletion with
// finalizers waits on them. Other writes cannot change what these two controllers would do.
const concernsDeletion = (event: WatchEvent) =>
  event.type === 'delete' ||
  event.object.metadata.deletionTimestamp !== undefined ||
  (event.object.metadata.ownerReferences ?? []).length > 0;
watch.on('/registry/', garbageCollector(objects), concernsDeletion);
const finalizeNamespaces = namespaceController(objects);
watch.on('/registry/namespaces/', finalizeNamespaces);
watch.on('/registry/', finalizeNamespaces, concernsDeletion);
for (const prefix of ['clusterroles/', 'roles/', 'clusterrolebindings/', 'rolebindings/']) {
  watch.on(`/registry/${prefix}`, async () => authorizer.invalidate());
}

// etcd3 throws from inside its watch stream's data handler when etcd answers for a watch it no
// longer tracks (WatchManager.handleResponse in etcd3/lib/watch.js): harmless, so logged, not fatal.
process.on('uncaughtException', (error) => {
  if (/Failed to find watcher/.test(error.message)) {
    log('etcd answered for a watch that is gone', error);
    return;
  }
  console.error(error);
  process.exit(1);
});

let etcdReachable = false;
const probe = async () => {
  try {
    await storage.revision();
    etcdReachable = true;
  } catch {
    etcdReachable = false;
  }
};
await seedCluster(objects);
await watch.start();
await probe();
const health = setInterval(() => void probe(), 1000);

const kubeletTls =
  flags['kubelet-client-certificate'] && flags['kubelet-client-key'] && flags['kubelet-certificate-authority']
    ? {
        certFile: flags['kubelet-client-certificate'],
        keyFile: flags['kubelet-client-key'],
        caFile: flags['kubelet-certificate-authority'],
      }
    : undefined;
const serverAddress = `${flags['bind-address']}:${flags['secure-port']}`;
const server = createApiServer(
  { objects, registry, authorizer, serverAddress, log, kubeletTls },
  { certFile: flags['tls-cert-file'], keyFile: flags['tls-private-key-file'], clientCaFile: flags['client-ca-file'] },
  {
    afterWrite: async (plural) => {
      if (plural === 'customresourcedefinitions') await refreshCrds();
      if (plural.startsWith('cluster') || plural.startsWith('role')) authorizer.invalidate();
    },
    ready: () => etcdReachable,
  },
);
server.listen(flags['secure-port'], flags['bind-address'], () => log(`serving on https://${serverAddress}`));

const stop = async () => {
  clearInterval(health);
  server.close();
  server.closeAllConnections();
  await watch.stop();
  await storage.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
