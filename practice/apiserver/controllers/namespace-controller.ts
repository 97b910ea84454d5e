import { createIfAbsent } from '../bootstrap/seed-cluster.ts';
import { ApiStatusError } from '../errors.ts';
import type { ObjectService } from '../objects/object-service.ts';
import { SYSTEM_WRITE } from '../objects/request-scope.ts';
import type { KubeObject, ResourceType } from '../resources/resource-type.ts';

// Namespaces as kube-controller-manager keeps them: each gets a "default" ServiceAccount, and a
// namespace being deleted has everything in it deleted before the namespace itself goes.
export function namespaceController(objects: ObjectService): () => Promise<void> {
  const namespaces = objects.registry.find('', 'v1', 'namespaces') as ResourceType;
  return async () => {
    const { items } = await objects.list({ type: namespaces });
    for (const namespace of items) {
      const name = namespace.metadata.name as string;
      if (namespace.metadata.deletionTimestamp) await finalize(objects, namespaces, name);
      else await ensureDefaultServiceAccount(objects, name);
    }
  };
}

async function ensureDefaultServiceAccount(objects: ObjectService, namespace: string): Promise<void> {
  const serviceAccounts = objects.registry.find('', 'v1', 'serviceaccounts') as ResourceType;
  if (await objects.find(serviceAccounts, namespace, 'default')) return;
  try {
    await createIfAbsent(objects, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    });
  } catch (error) {
    if (!(error instanceof ApiStatusError && (error.reason === 'Forbidden' || error.reason === 'NotFound')))
      throw error;
  }
}

async function finalize(objects: ObjectService, namespaces: ResourceType, name: string): Promise<void> {
  let remaining = 0;
  for (const type of objects.registry.all().filter((item) => item.namespaced)) {
    const { items } = await objects.list({ type, namespace: name });
    remaining += items.length;
    for (const item of items) await deleteQuietly(objects, type, item);
  }
  if (remaining > 0) return;
  await objects.modify(
    { type: namespaces, name },
    (namespace) => ({ ...namespace, spec: { ...(namespace.spec as object), finalizers: [] } }),
    SYSTEM_WRITE,
  );
}

export async function deleteQuietly(
  objects: ObjectService,
  type: ResourceType,
  item: KubeObject,
  propagation: 'Background' | 'Foreground' = 'Background',
): Promise<void> {
  if (item.metadata.deletionTimestamp) return;
  try {
    await objects.delete(
      { type, namespace: item.metadata.namespace, name: item.metadata.name },
      { dryRun: false, propagationPolicy: propagation },
    );
  } catch (error) {
    if (!(error instanceof ApiStatusError && (error.reason === 'NotFound' || error.reason === 'Conflict'))) throw error;
  }
}
