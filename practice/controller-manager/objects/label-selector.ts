import type { V1LabelSelector, V1NodeSelectorRequirement } from '@kubernetes/client-node';

type Labels = Record<string, string> | undefined;

// A workload's selector against an object's labels; an empty selector matches nothing, as for
// ReplicaSets and Deployments, so a broken spec never adopts the whole namespace.
export function matchesLabelSelector(selector: V1LabelSelector | undefined, labels: Labels): boolean {
  const matchLabels = selector?.matchLabels ?? {};
  const expressions = selector?.matchExpressions ?? [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false;
  const own = labels ?? {};
  if (!Object.entries(matchLabels).every(([key, value]) => own[key] === value)) return false;
  return expressions.every((requirement) => matchesRequirement(requirement, own));
}

// Label requirements as both label selectors and node selector terms spell them.
export function matchesRequirement(
  requirement: Pick<V1NodeSelectorRequirement, 'key' | 'operator' | 'values'>,
  labels: Record<string, string>,
): boolean {
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

// Plain equality selectors (Service.spec.selector, nodeSelector): every pair must be present.
export function matchesMap(selector: Record<string, string> | undefined, labels: Labels): boolean {
  const own = labels ?? {};
  return Object.entries(selector ?? {}).every(([key, value]) => own[key] === value);
}
