import type { UserInfo } from '../objects/request-scope.ts';
import type { KubeObject } from '../resources/resource-type.ts';
import type { EtcdStorage } from '../storage/etcd-storage.ts';
import { type PolicyRule, type RequestAttributes, ruleAllows } from './rbac-rules.ts';

interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

interface Binding {
  namespace: string | undefined;
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
  subjects: Subject[];
}

interface Policy {
  roles: Map<string, PolicyRule[]>;
  bindings: Binding[];
}

// Authorizes requests from the Roles, ClusterRoles and bindings stored in the cluster. The policy
// is reread after any of them changes (the cluster watch calls `invalidate`).
export class RbacAuthorizer {
  readonly #storage: EtcdStorage;
  #policy: Promise<Policy> | undefined;

  constructor(storage: EtcdStorage) {
    this.#storage = storage;
  }

  invalidate(): void {
    this.#policy = undefined;
  }

  async allows(user: UserInfo, request: RequestAttributes): Promise<boolean> {
    if (user.groups.includes('system:masters')) return true;
    if (!this.#policy) {
      this.#policy = this.#load().catch((error: unknown) => {
        this.#policy = undefined;
        throw error;
      });
    }
    const policy = await this.#policy;
    return policy.bindings.some((binding) => {
      if (binding.namespace !== undefined && binding.namespace !== request.namespace) return false;
      if (!binding.subjects.some((subject) => subjectMatches(subject, user))) return false;
      const key =
        binding.roleRef.kind === 'Role' ? `${binding.namespace}/${binding.roleRef.name}` : binding.roleRef.name;
      return (policy.roles.get(key) ?? []).some((rule) => ruleAllows(rule, request));
    });
  }

  async #load(): Promise<Policy> {
    const read = async (prefix: string) =>
      (await this.#storage.list(`/registry/${prefix}/`)).items.map((item) => item.object);
    const [clusterRoles, roles, clusterBindings, bindings] = await Promise.all([
      read('clusterroles'),
      read('roles'),
      read('clusterrolebindings'),
      read('rolebindings'),
    ]);
    const rules = (role: KubeObject) => (role.rules as PolicyRule[] | undefined) ?? [];
    return {
      roles: new Map([
        ...clusterRoles.map((role) => [role.metadata.name as string, rules(role)] as const),
        ...roles.map((role) => [`${role.metadata.namespace}/${role.metadata.name}`, rules(role)] as const),
      ]),
      bindings: [
        ...clusterBindings.map((binding) => toBinding(binding, undefined)),
        ...bindings.map((binding) => toBinding(binding, binding.metadata.namespace)),
      ],
    };
  }
}

function toBinding(object: KubeObject, namespace: string | undefined): Binding {
  return {
    namespace,
    roleRef: object.roleRef as Binding['roleRef'],
    subjects: (object.subjects as Subject[] | undefined) ?? [],
  };
}

function subjectMatches(subject: Subject, user: UserInfo): boolean {
  if (subject.kind === 'User') return subject.name === user.username;
  if (subject.kind === 'Group') return user.groups.includes(subject.name);
  return user.username === `system:serviceaccount:${subject.namespace}:${subject.name}`;
}
