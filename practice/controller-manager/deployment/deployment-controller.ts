import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { MERGE_PATCH, tolerateGoneOrExists } from '../client/api-errors.ts';
import { isSubsetOf } from '../objects/canonical-json.ts';
import { groupByController } from '../objects/owner.ts';
import { toDate } from '../runtime/clock.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';
import { computeDeploymentStatus } from './deployment-status.ts';
import { createNewReplicaSet, REVISION_ANNOTATION, revisionOf } from './new-replica-set.ts';
import { newReplicaSetTarget, oldReplicaSetTargets, resolveRolloutBounds } from './rollout-math.ts';
import { isSameTemplate } from './template-hash.ts';

const COMPONENT = 'deployment-controller';
const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';

// Rolls each Deployment towards one ReplicaSet per pod template: RollingUpdate within maxSurge
// and maxUnavailable, Recreate by emptying the old ones first; keeps revisionHistoryLimit old ones.
export function createDeploymentController(context: ControllerContext): Controller {
  return {
    name: COMPONENT,
    watches: ['/apis/apps/v1/deployments', '/apis/apps/v1/replicasets'],
    resyncMs: 5000,
    async reconcile() {
      const [deployments, sets] = await Promise.all([
        context.client.apps.listDeploymentForAllNamespaces(),
        context.client.apps.listReplicaSetForAllNamespaces(),
      ]);
      const setsByOwner = groupByController(sets.items);
      for (const deployment of deployments.items) {
        if (deployment.metadata?.deletionTimestamp) continue;
        await syncDeployment(context, deployment, setsByOwner.get(deployment.metadata?.uid ?? '') ?? []);
      }
    },
  };
}

async function syncDeployment(context: ControllerContext, deployment: V1Deployment, owned: V1ReplicaSet[]) {
  const oldestFirst = [...owned].sort(
    (left, right) =>
      (toDate(left.metadata?.creationTimestamp)?.getTime() ?? 0) -
      (toDate(right.metadata?.creationTimestamp)?.getTime() ?? 0),
  );
  const replicas = deployment.spec?.replicas ?? 1;
  const strategy = deployment.spec?.strategy;
  const bounds =
    strategy?.type === 'Recreate'
      ? { maxSurge: 0, maxUnavailable: replicas }
      : resolveRolloutBounds(replicas, strategy?.rollingUpdate?.maxSurge, strategy?.rollingUpdate?.maxUnavailable);
  let newSet = oldestFirst.find((set) => isSameTemplate(set.spec?.template, deployment.spec?.template));
  const old = oldestFirst.filter((set) => set !== newSet);
  const maxOldRevision = Math.max(0, ...old.map(revisionOf));
  if (!deployment.spec?.paused) {
    if (!newSet) {
      const initial = strategy?.type === 'Recreate' ? 0 : newReplicaSetTarget(replicas, bounds, 0, sumDesired(old));
      newSet = await createNewReplicaSet(context, deployment, initial, maxOldRevision + 1);
    } else if (revisionOf(newSet) <= maxOldRevision) {
      newSet = (await scaleReplicaSet(context, newSet, desiredOf(newSet), maxOldRevision + 1)) ?? newSet;
    }
    if (newSet && strategy?.type === 'Recreate') await rollRecreate(context, replicas, newSet, old);
    else if (newSet) await rollRolling(context, replicas, bounds, newSet, old);
    await pruneHistory(context, deployment, old);
  }
  await patchDeploymentStatus(context, deployment, newSet, newSet ? [newSet, ...old] : old, bounds);
}

async function rollRolling(
  context: ControllerContext,
  replicas: number,
  bounds: { maxSurge: number; maxUnavailable: number },
  newSet: V1ReplicaSet,
  old: V1ReplicaSet[],
) {
  const target = newReplicaSetTarget(replicas, bounds, desiredOf(newSet), desiredOf(newSet) + sumDesired(old));
  if (target !== desiredOf(newSet)) await scaleReplicaSet(context, newSet, target);
  const counts = (set: V1ReplicaSet) => ({ desired: desiredOf(set), available: set.status?.availableReplicas ?? 0 });
  const targets = oldReplicaSetTargets(replicas, bounds, counts(newSet), old.map(counts));
  for (const [index, set] of old.entries()) {
    const next = targets[index] ?? 0;
    if (next !== desiredOf(set)) await scaleReplicaSet(context, set, next);
  }
}

// Recreate: old ReplicaSets to zero, and the new one up only once no old pod is left.
async function rollRecreate(context: ControllerContext, replicas: number, newSet: V1ReplicaSet, old: V1ReplicaSet[]) {
  for (const set of old) if (desiredOf(set) > 0) await scaleReplicaSet(context, set, 0);
  const oldPodsLeft = old.some((set) => (set.status?.replicas ?? 0) > 0 || desiredOf(set) > 0);
  if (!oldPodsLeft && desiredOf(newSet) !== replicas) await scaleReplicaSet(context, newSet, replicas);
}

async function pruneHistory(context: ControllerContext, deployment: V1Deployment, old: V1ReplicaSet[]) {
  const limit = deployment.spec?.revisionHistoryLimit ?? 10;
  const idle = old.filter((set) => desiredOf(set) === 0 && (set.status?.replicas ?? 0) === 0);
  const surplus = idle
    .sort((left, right) => revisionOf(left) - revisionOf(right))
    .slice(0, Math.max(idle.length - limit, 0));
  for (const set of surplus) {
    await tolerateGoneOrExists(() =>
      context.client.apps.deleteNamespacedReplicaSet({
        name: set.metadata?.name ?? '',
        namespace: set.metadata?.namespace ?? 'default',
      }),
    );
  }
}

function desiredOf(set: V1ReplicaSet): number {
  return set.spec?.replicas ?? 1;
}

function sumDesired(sets: V1ReplicaSet[]): number {
  return sets.reduce((sum, set) => sum + desiredOf(set), 0);
}

async function scaleReplicaSet(
  context: ControllerContext,
  set: V1ReplicaSet,
  replicas: number,
  revision?: number,
): Promise<V1ReplicaSet | undefined> {
  const annotations: Record<string, string> = { [DESIRED_REPLICAS_ANNOTATION]: String(replicas) };
  if (revision !== undefined) annotations[REVISION_ANNOTATION] = String(revision);
  return tolerateGoneOrExists(() =>
    context.client.apps.patchNamespacedReplicaSet(
      {
        name: set.metadata?.name ?? '',
        namespace: set.metadata?.namespace ?? 'default',
        body: { metadata: { annotations }, spec: { replicas } },
      },
      MERGE_PATCH,
    ),
  );
}

async function patchDeploymentStatus(
  context: ControllerContext,
  deployment: V1Deployment,
  newSet: V1ReplicaSet | undefined,
  all: V1ReplicaSet[],
  bounds: { maxSurge: number; maxUnavailable: number },
) {
  const name = deployment.metadata?.name ?? '';
  const namespace = deployment.metadata?.namespace ?? 'default';
  const revision = newSet ? String(revisionOf(newSet)) : undefined;
  if (revision && deployment.metadata?.annotations?.[REVISION_ANNOTATION] !== revision) {
    const body = { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } };
    await tolerateGoneOrExists(() =>
      context.client.apps.patchNamespacedDeployment({ name, namespace, body }, MERGE_PATCH),
    );
  }
  const status = computeDeploymentStatus(deployment, newSet, all, bounds, context.clock.now());
  if (isSubsetOf(status, deployment.status)) return;
  await tolerateGoneOrExists(() =>
    context.client.apps.patchNamespacedDeploymentStatus({ name, namespace, body: { status } }, MERGE_PATCH),
  );
}
