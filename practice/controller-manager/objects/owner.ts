import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';

interface Owner {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
}

// The ownerReference a controller puts on what it creates, so the garbage collector cleans up
// after the owner and `kubectl get` shows who controls what.
export function controllerReference(owner: Owner, apiVersion: string, kind: string): V1OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isControlledBy(object: { metadata?: V1ObjectMeta }, owner: { metadata?: V1ObjectMeta }): boolean {
  const uid = owner.metadata?.uid;
  return (object.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === uid);
}

export function controllerUid(object: { metadata?: V1ObjectMeta }): string | undefined {
  return object.metadata?.ownerReferences?.find((ref) => ref.controller === true)?.uid;
}

// Objects grouped by the uid of their controller, for one pass over a namespace's pods.
export function groupByController<T extends { metadata?: V1ObjectMeta }>(objects: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const object of objects) {
    const uid = controllerUid(object);
    if (uid) groups.set(uid, [...(groups.get(uid) ?? []), object]);
  }
  return groups;
}
