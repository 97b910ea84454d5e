import { BUILTIN_KINDS } from './builtin-kinds.ts';
import { customResourceTypes } from './custom-resources.ts';
import type { KubeObject, ResourceType } from './resource-type.ts';

export interface GroupVersions {
  group: string;
  versions: string[];
  preferred: string;
}

// Every kind served right now: the built-in ones and those the stored CRDs define.
export class ResourceRegistry {
  #custom: ResourceType[] = [];

  all(): ResourceType[] {
    return [...BUILTIN_KINDS, ...this.#custom];
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((type) => type.group === group && type.version === version && type.plural === plural);
  }

  findByKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.all().find((type) => type.group === group && type.version === version && type.kind === kind);
  }

  /** Every version of a group/resource, for RBAC and garbage collection. */
  versionsOf(group: string, plural: string): ResourceType[] {
    return this.all().filter((type) => type.group === group && type.plural === plural);
  }

  inVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((type) => type.group === group && type.version === version);
  }

  groups(): GroupVersions[] {
    const groups = new Map<string, string[]>();
    for (const type of this.all()) {
      if (type.group === '') continue;
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    groups.set('authorization.k8s.io', ['v1']);
    return [...groups].map(([group, versions]) => ({ group, versions, preferred: versions[0] as string }));
  }

  // Rebuilds the custom kinds from the CRDs in storage (called whenever a CRD changes).
  setCustomResourceDefinitions(crds: KubeObject[]): void {
    this.#custom = crds.flatMap(customResourceTypes);
  }
}
