import { ApiStatusError } from '../errors.ts';
import type { ObjectService } from '../objects/object-service.ts';
import { SYSTEM_WRITE } from '../objects/request-scope.ts';
import type { KubeObject } from '../resources/resource-type.ts';
import { BOOTSTRAP_POLICY, kubernetesService, SYSTEM_NAMESPACES } from './bootstrap-policy.ts';

// Creates what a fresh kube-apiserver creates: system namespaces, the default RBAC policy and the
// kubernetes Service. Objects that exist already (a restarted or restored cluster) are left alone.
export async function seedCluster(objects: ObjectService): Promise<void> {
  const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const object of [...SYSTEM_NAMESPACES.map(namespace), ...BOOTSTRAP_POLICY, kubernetesService()]) {
    await createIfAbsent(objects, object);
  }
}

export async function createIfAbsent(objects: ObjectService, object: KubeObject): Promise<void> {
  const type = objects.registry.findByKind(object.apiVersion, object.kind);
  if (!type) throw new Error(`no kind ${object.apiVersion}/${object.kind}`);
  try {
    await objects.create({ type, namespace: object.metadata.namespace }, object, SYSTEM_WRITE);
  } catch (error) {
    if (!(error instanceof ApiStatusError && error.reason === 'AlreadyExists')) throw error;
  }
}
