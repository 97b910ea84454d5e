import type { ObjectService } from '../objects/object-service.ts';
import type { ResourceType } from '../resources/resource-type.ts';

const CRD_PREFIX = '/registry/apiextensions.k8s.io/customresourcedefinitions/';

// Serves the kinds the stored CRDs define, and removes a deleted CRD's custom resources.
export function crdController(objects: ObjectService): () => Promise<void> {
  let served = new Map<string, ResourceType[]>();
  return async () => {
    const { items } = await objects.storage.list(CRD_PREFIX);
    const crds = items.map((item) => item.object);
    objects.registry.setCustomResourceDefinitions(crds);
    const now = new Map(
      crds.map((crd) => [
        crd.metadata.name as string,
        objects.registry.all().filter((type) => `${type.plural}.${type.group}` === crd.metadata.name),
      ]),
    );
    for (const [name, types] of served) {
      if (now.has(name)) continue;
      const prefix = `/registry/${types[0]?.storagePrefix}/`;
      if (types[0]) await objects.storage.client.delete().prefix(prefix).exec();
    }
    served = now;
  };
}

export { CRD_PREFIX };
