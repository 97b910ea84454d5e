import type { V1Deployment, V1DeploymentCondition, V1DeploymentStatus, V1ReplicaSet } from '@kubernetes/client-node';
import { compact, plainValue } from '../objects/canonical-json.ts';
import { formatTimestamp } from '../runtime/clock.ts';
import type { RolloutBounds } from './rollout-math.ts';

// The status `kubectl rollout status` reads: counts summed over the ReplicaSets, and the
// Available and Progressing conditions with kube's reasons and messages.
export function computeDeploymentStatus(
  deployment: V1Deployment,
  newReplicaSet: V1ReplicaSet | undefined,
  all: V1ReplicaSet[],
  bounds: RolloutBounds,
  now: Date,
): V1DeploymentStatus {
  const sum = (read: (set: V1ReplicaSet) => number | undefined) =>
    all.reduce((total, set) => total + (read(set) ?? 0), 0);
  const desired = deployment.spec?.replicas ?? 1;
  const replicas = sum((set) => set.status?.replicas);
  const updatedReplicas = newReplicaSet?.status?.replicas ?? 0;
  const availableReplicas = sum((set) => set.status?.availableReplicas);
  const complete =
    newReplicaSet !== undefined &&
    updatedReplicas === desired &&
    replicas === desired &&
    availableReplicas === desired &&
    (newReplicaSet.status?.observedGeneration ?? 0) >= (newReplicaSet.metadata?.generation ?? 1);
  const newName = newReplicaSet?.metadata?.name ?? '';
  const available = availableReplicas >= desired - bounds.maxUnavailable;
  const previous = deployment.status?.conditions ?? [];
  const conditions = [
    condition(previous, now, {
      type: 'Available',
      status: available ? 'True' : 'False',
      reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
    }),
    condition(previous, now, {
      type: 'Progressing',
      status: 'True',
      reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
      message: complete
        ? `ReplicaSet "${newName}" has successfully progressed.`
        : `ReplicaSet "${newName}" is progressing.`,
    }),
  ];
  return {
    observedGeneration: deployment.metadata?.generation ?? 1,
    replicas,
    updatedReplicas,
    readyReplicas: sum((set) => set.status?.readyReplicas),
    availableReplicas,
    unavailableReplicas: Math.max(desired - availableReplicas, 0),
    conditions,
  };
}

type ConditionCore = Pick<V1DeploymentCondition, 'type' | 'status' | 'reason' | 'message'>;

// A condition keeps its lastTransitionTime while its status holds, and its lastUpdateTime while
// nothing about it changes.
function condition(previous: V1DeploymentCondition[], now: Date, next: ConditionCore): V1DeploymentCondition {
  const old = previous.find((item) => item.type === next.type);
  const timestamp = formatTimestamp(now) as unknown as Date;
  const same = old && old.status === next.status && old.reason === next.reason && old.message === next.message;
  return plainValue(
    compact<V1DeploymentCondition>({
      ...next,
      lastUpdateTime: same ? old.lastUpdateTime : timestamp,
      lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : timestamp,
    }),
  );
}
