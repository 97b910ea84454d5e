import type { IntOrString } from '@kubernetes/client-node';

export interface RolloutBounds {
  maxSurge: number;
  maxUnavailable: number;
}

// maxSurge rounds up and maxUnavailable rounds down, and both zero means one unavailable, as in
// kube's deployment util ResolveFenceposts.
export function resolveRolloutBounds(
  replicas: number,
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
): RolloutBounds {
  const surge = scaledValue(maxSurge ?? '25%', replicas, true);
  const unavailable = scaledValue(maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) return { maxSurge: 0, maxUnavailable: 1 };
  return { maxSurge: surge, maxUnavailable: unavailable };
}

function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) return Number.parseInt(value, 10) || 0;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface ReplicaCounts {
  /** spec.replicas */
  desired: number;
  available: number;
}

// How many replicas the new ReplicaSet may have now: up to replicas + maxSurge pods in all.
export function newReplicaSetTarget(
  replicas: number,
  bounds: RolloutBounds,
  newReplicaSet: number,
  allReplicaSets: number,
): number {
  if (newReplicaSet > replicas) return replicas;
  if (newReplicaSet === replicas) return newReplicaSet;
  const room = replicas + bounds.maxSurge - allReplicaSets;
  if (room <= 0) return newReplicaSet;
  return Math.min(newReplicaSet + room, replicas);
}

// How many old replicas may go now without falling below replicas - maxUnavailable available;
// unavailable old replicas go first, they cost nothing (kube's reconcileOldReplicaSets).
export function oldReplicaSetTargets(
  replicas: number,
  bounds: RolloutBounds,
  newReplicaSet: ReplicaCounts,
  old: ReplicaCounts[],
): number[] {
  const targets = old.map((set) => set.desired);
  const allPods = newReplicaSet.desired + targets.reduce((sum, value) => sum + value, 0);
  const minAvailable = replicas - bounds.maxUnavailable;
  const newUnavailable = Math.max(newReplicaSet.desired - newReplicaSet.available, 0);
  let budget = allPods - minAvailable - newUnavailable;
  if (budget <= 0) return targets;
  old.forEach((set, index) => {
    const unhealthy = Math.min(Math.max(set.desired - set.available, 0), budget);
    targets[index] = (targets[index] ?? 0) - unhealthy;
    budget -= unhealthy;
  });
  const available = newReplicaSet.available + old.reduce((sum, set) => sum + set.available, 0);
  let removable = Math.max(available - minAvailable, 0);
  old.forEach((_set, index) => {
    const current = targets[index] ?? 0;
    const cut = Math.min(current, removable);
    targets[index] = current - cut;
    removable -= cut;
  });
  return targets;
}
