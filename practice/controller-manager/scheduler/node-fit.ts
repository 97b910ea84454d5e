import type { V1Node, V1NodeSelectorTerm, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { matchesMap, matchesRequirement } from '../objects/label-selector.ts';

// Why a node cannot take a pod, in the scheduler's words; null when it can.
export function whyNodeDoesNotFit(pod: V1Pod, node: V1Node): string | null {
  if (!isNodeReady(node)) return 'node(s) were not ready';
  if (node.spec?.unschedulable && !tolerates(pod, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))
    return 'node(s) were unschedulable';
  const labels = node.metadata?.labels ?? {};
  if (!matchesMap(pod.spec?.nodeSelector, labels)) return "node(s) didn't match Pod's node affinity/selector";
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && terms.length > 0 && !terms.some((term) => matchesTerm(term, node)))
    return "node(s) didn't match Pod's node affinity/selector";
  const untolerated = (node.spec?.taints ?? []).find(
    (taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(pod, taint),
  );
  if (untolerated) return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`;
  return null;
}

export function isNodeReady(node: V1Node): boolean {
  return (
    node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false
  );
}

// A node selector term: all its label expressions and its field expressions (metadata.name only).
function matchesTerm(term: V1NodeSelectorTerm, node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  const fields = { 'metadata.name': node.metadata?.name ?? '' };
  const expressions = term.matchExpressions ?? [];
  const fieldExpressions = term.matchFields ?? [];
  if (expressions.length === 0 && fieldExpressions.length === 0) return false;
  return (
    expressions.every((requirement) => matchesRequirement(requirement, labels)) &&
    fieldExpressions.every((requirement) => matchesRequirement(requirement, fields))
  );
}

function tolerates(pod: V1Pod, taint: Pick<V1Taint, 'key' | 'value' | 'effect'>): boolean {
  return (pod.spec?.tolerations ?? []).some((toleration) => toleratesTaint(toleration, taint));
}

function toleratesTaint(toleration: V1Toleration, taint: Pick<V1Taint, 'key' | 'value' | 'effect'>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (!toleration.key) return toleration.operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}
