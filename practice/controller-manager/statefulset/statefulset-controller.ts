import type { V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { MERGE_PATCH, tolerateGoneOrExists } from '../client/api-errors.ts';
import { isSubsetOf } from '../objects/canonical-json.ts';
import { recordEvent } from '../objects/events.ts';
import { groupByController } from '../objects/owner.ts';
import { hasFinished, isAvailable, isReady, isTerminating } from '../objects/pod-state.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';
import { ordinalOf, REVISION_LABEL, statefulClaims, statefulPod, updateRevisionOf } from './stateful-pod.ts';

const COMPONENT = 'statefulset-controller';

// Ordinal pods `<sts>-0…N-1` with their claims: OrderedReady creates each once the one before is
// Running and Ready and removes from the highest ordinal down, one at a time; Parallel does all
// at once. RollingUpdate replaces pods of an old template from the highest ordinal down.
export function createStatefulSetController(context: ControllerContext): Controller {
  return {
    name: COMPONENT,
    watches: ['/apis/apps/v1/statefulsets', '/api/v1/pods', '/api/v1/persistentvolumeclaims'],
    resyncMs: 5000,
    async reconcile() {
      const [sets, pods, claims] = await Promise.all([
        context.client.apps.listStatefulSetForAllNamespaces(),
        context.client.core.listPodForAllNamespaces(),
        context.client.core.listPersistentVolumeClaimForAllNamespaces(),
      ]);
      const podsByOwner = groupByController(pods.items);
      const claimKeys = new Set(claims.items.map((claim) => `${claim.metadata?.namespace}/${claim.metadata?.name}`));
      for (const set of sets.items) {
        if (set.metadata?.deletionTimestamp) continue;
        await syncStatefulSet(context, set, podsByOwner.get(set.metadata?.uid ?? '') ?? [], claimKeys);
      }
    },
  };
}

async function syncStatefulSet(context: ControllerContext, set: V1StatefulSet, owned: V1Pod[], claims: Set<string>) {
  const replicas = set.spec?.replicas ?? 1;
  const parallel = set.spec?.podManagementPolicy === 'Parallel';
  const revision = updateRevisionOf(set);
  const byOrdinal = new Map(owned.map((pod) => [ordinalOf(set, pod) ?? -1, pod]));
  const write = writer(context, set);
  let blocked = false;
  for (let ordinal = 0; ordinal < replicas && !blocked; ordinal++) {
    const pod = byOrdinal.get(ordinal);
    if (!pod) {
      for (const claim of statefulClaims(set, ordinal)) {
        if (!claims.has(`${claim.metadata?.namespace}/${claim.metadata?.name}`)) await write.createClaim(claim);
      }
      await write.createPod(statefulPod(set, ordinal, revision));
      blocked = !parallel;
    } else if (isTerminating(pod)) {
      blocked = !parallel;
    } else if (hasFinished(pod)) {
      await write.deletePod(pod);
      blocked = !parallel;
    } else if (!parallel && !(pod.status?.phase === 'Running' && isReady(pod))) {
      blocked = true;
    }
  }
  const condemned = owned
    .filter((pod) => (ordinalOf(set, pod) ?? -1) >= replicas || ordinalOf(set, pod) === undefined)
    .sort((left, right) => (ordinalOf(set, right) ?? 0) - (ordinalOf(set, left) ?? 0));
  if (!blocked && condemned.length > 0) {
    const waiting = condemned.some(isTerminating);
    for (const pod of parallel ? condemned : waiting ? [] : condemned.slice(0, 1)) {
      if (isTerminating(pod)) continue;
      await write.deletePod(pod);
      if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
        for (const claim of statefulClaims(set, ordinalOf(set, pod) ?? -1)) await write.deleteClaim(claim);
      }
    }
  } else if (!blocked && set.spec?.updateStrategy?.type !== 'OnDelete') {
    await replaceOneOutdatedPod(set, owned, revision, write.deletePod);
  }
  await patchStatefulSetStatus(context, set, owned, revision);
}

// Once every pod is Running and Ready, the highest-ordinal pod at or above the partition that
// runs an old template goes; the loop above recreates it from the current one.
async function replaceOneOutdatedPod(
  set: V1StatefulSet,
  owned: V1Pod[],
  revision: string,
  deletePod: (pod: V1Pod) => Promise<void>,
) {
  const settled = owned.every((pod) => !isTerminating(pod) && pod.status?.phase === 'Running' && isReady(pod));
  if (!settled) return;
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  const outdated = owned
    .filter((pod) => (ordinalOf(set, pod) ?? -1) >= partition && pod.metadata?.labels?.[REVISION_LABEL] !== revision)
    .sort((left, right) => (ordinalOf(set, right) ?? 0) - (ordinalOf(set, left) ?? 0));
  const [highest] = outdated;
  if (highest) await deletePod(highest);
}

function writer(context: ControllerContext, set: V1StatefulSet) {
  const namespace = set.metadata?.namespace ?? 'default';
  const { core } = context.client;
  const note = (reason: string, message: string) =>
    recordEvent(core, COMPONENT, set, { reason, message }, context.clock.now());
  return {
    async createPod(pod: V1Pod) {
      const created = await tolerateGoneOrExists(() => core.createNamespacedPod({ namespace, body: pod }));
      if (created)
        await note(
          'SuccessfulCreate',
          `create Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} successful`,
        );
    },
    async deletePod(pod: V1Pod) {
      const name = pod.metadata?.name ?? '';
      await tolerateGoneOrExists(() => core.deleteNamespacedPod({ name, namespace }));
      await note('SuccessfulDelete', `delete Pod ${name} in StatefulSet ${set.metadata?.name} successful`);
    },
    async createClaim(claim: V1PersistentVolumeClaim) {
      await tolerateGoneOrExists(() => core.createNamespacedPersistentVolumeClaim({ namespace, body: claim }));
      await note(
        'SuccessfulCreate',
        `create Claim ${claim.metadata?.name} for StatefulSet ${set.metadata?.name} success`,
      );
    },
    async deleteClaim(claim: V1PersistentVolumeClaim) {
      const name = claim.metadata?.name ?? '';
      await tolerateGoneOrExists(() => core.deleteNamespacedPersistentVolumeClaim({ name, namespace }));
    },
  };
}

async function patchStatefulSetStatus(
  context: ControllerContext,
  set: V1StatefulSet,
  owned: V1Pod[],
  revision: string,
) {
  const live = owned.filter((pod) => !isTerminating(pod));
  const now = context.clock.now();
  const updatedReplicas = live.filter((pod) => pod.metadata?.labels?.[REVISION_LABEL] === revision).length;
  const wanted = set.spec?.replicas ?? 1;
  const previousCurrent = set.status?.currentRevision ?? revision;
  const currentRevision = updatedReplicas === live.length && live.length === wanted ? revision : previousCurrent;
  const status = {
    observedGeneration: set.metadata?.generation ?? 1,
    replicas: live.length,
    readyReplicas: live.filter(isReady).length,
    availableReplicas: live.filter((pod) => isAvailable(pod, set.spec?.minReadySeconds ?? 0, now)).length,
    currentReplicas: live.filter((pod) => pod.metadata?.labels?.[REVISION_LABEL] === currentRevision).length,
    updatedReplicas,
    currentRevision,
    updateRevision: revision,
    collisionCount: 0,
  };
  if (isSubsetOf(status, set.status)) return;
  await tolerateGoneOrExists(() =>
    context.client.apps.patchNamespacedStatefulSetStatus(
      { name: set.metadata?.name ?? '', namespace: set.metadata?.namespace ?? 'default', body: { status } },
      MERGE_PATCH,
    ),
  );
}
