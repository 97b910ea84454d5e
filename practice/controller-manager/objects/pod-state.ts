import type { V1Pod } from '@kubernetes/client-node';
import { toDate } from '../runtime/clock.ts';

export function isTerminating(pod: V1Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

export function hasFinished(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

// A pod that counts towards a workload's replicas: not finished and not being deleted.
export function isActive(pod: V1Pod): boolean {
  return !isTerminating(pod) && !hasFinished(pod);
}

export function isReady(pod: V1Pod): boolean {
  return (
    pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false
  );
}

// Ready for at least minReadySeconds, the Deployment and ReplicaSet sense of available.
export function isAvailable(pod: V1Pod, minReadySeconds: number, now: Date): boolean {
  if (!isReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
  const since = toDate(ready?.lastTransitionTime);
  return since !== undefined && now.getTime() - since.getTime() >= minReadySeconds * 1000;
}

// The order in which surplus pods go: unscheduled, then pending, then not ready, then youngest.
export function compareForDeletion(left: V1Pod, right: V1Pod): number {
  const rank = (pod: V1Pod) =>
    (pod.spec?.nodeName ? 0 : 4) + (pod.status?.phase === 'Pending' ? 2 : 0) + (isReady(pod) ? 0 : 1);
  const byRank = rank(right) - rank(left);
  if (byRank !== 0) return byRank;
  const created = (pod: V1Pod) => toDate(pod.metadata?.creationTimestamp)?.getTime() ?? 0;
  return created(right) - created(left);
}
