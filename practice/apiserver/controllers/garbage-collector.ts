import { ApiStatusError } from '../errors.ts';
import type { ObjectService } from '../objects/object-service.ts';
import { SYSTEM_WRITE } from '../objects/request-scope.ts';
import type { KubeObject, OwnerReference, ResourceType } from '../resources/resource-type.ts';
import { deleteQuietly } from './namespace-controller.ts';

interface Stored {
  type: ResourceType;
  object: KubeObject;
}

// The garbage collector: an object whose owners are all gone is deleted; an owner deleted in the
// foreground waits for its dependents; one deleted with "orphan" lets them go first.
export function garbageCollector(objects: ObjectService): () => Promise<void> {
  return async () => {
    const all = await readAll(objects);
    const byUid = new Map(all.map((item) => [item.object.metadata.uid as string, item]));
    const dependentsOf = new Map<string, Stored[]>();
    for (const item of all) {
      for (const ref of item.object.metadata.ownerReferences ?? []) {
        dependentsOf.set(ref.uid, [...(dependentsOf.get(ref.uid) ?? []), item]);
      }
    }
    for (const item of all) {
      const refs = item.object.metadata.ownerReferences ?? [];
      if (refs.length > 0 && refs.every((ref) => !byUid.has(ref.uid)))
        await deleteQuietly(objects, item.type, item.object);
    }
    for (const owner of all.filter((item) => item.object.metadata.deletionTimestamp)) {
      const finalizers = owner.object.metadata.finalizers ?? [];
      const dependents = dependentsOf.get(owner.object.metadata.uid as string) ?? [];
      if (finalizers.includes('orphan')) {
        for (const dependent of dependents) await dropOwner(objects, dependent, owner.object.metadata.uid as string);
        await removeFinalizer(objects, owner, 'orphan');
      } else if (finalizers.includes('foregroundDeletion')) {
        for (const dependent of dependents)
          await deleteQuietly(objects, dependent.type, dependent.object, 'Foreground');
        if (dependents.length === 0) await removeFinalizer(objects, owner, 'foregroundDeletion');
      }
    }
  };
}

async function readAll(objects: ObjectService): Promise<Stored[]> {
  const { items } = await objects.storage.list('/registry/');
  return items.flatMap(({ object }) => {
    const type = objects.registry.findByKind(object.apiVersion, object.kind);
    return type ? [{ type, object }] : [];
  });
}

async function dropOwner(objects: ObjectService, item: Stored, uid: string): Promise<void> {
  await tolerateGone(() =>
    objects.modify(
      { type: item.type, namespace: item.object.metadata.namespace, name: item.object.metadata.name },
      (current) => {
        const refs = (current.metadata.ownerReferences ?? []).filter((ref: OwnerReference) => ref.uid !== uid);
        const { ownerReferences: _refs, ...metadata } = current.metadata;
        return { ...current, metadata: refs.length > 0 ? { ...metadata, ownerReferences: refs } : metadata };
      },
      SYSTEM_WRITE,
    ),
  );
}

async function removeFinalizer(objects: ObjectService, item: Stored, finalizer: string): Promise<void> {
  await tolerateGone(() =>
    objects.modify(
      { type: item.type, namespace: item.object.metadata.namespace, name: item.object.metadata.name },
      (current) => ({
        ...current,
        metadata: {
          ...current.metadata,
          finalizers: (current.metadata.finalizers ?? []).filter((name) => name !== finalizer),
        },
      }),
      SYSTEM_WRITE,
    ),
  );
}

async function tolerateGone(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof ApiStatusError && error.reason === 'NotFound')) throw error;
  }
}
