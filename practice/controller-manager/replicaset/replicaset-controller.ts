import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { MERGE_PATCH, tolerateGoneOrExists } from '../client/api-errors.ts';
import { isSubsetOf } from '../objects/canonical-json.ts';
import { recordEvent } from '../objects/events.ts';
import { randomSuffixName } from '../objects/names.ts';
import { controllerReference, groupByController } from '../objects/owner.ts';
import { compareForDeletion, isActive, isAvailable, isReady } from '../objects/pod-state.ts';
import { podFromTemplate } from '../objects/pod-template.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';

const COMPONENT = 'replicaset-controller';

// Keeps spec.replicas live pods for every ReplicaSet and reports how many there are.
export function createReplicaSetController(context: ControllerContext): Controller {
  return {
    name: COMPONENT,
    watches: ['/apis/apps/v1/replicasets', '/api/v1/pods'],
    resyncMs: 5000,
    async reconcile() {
      const [sets, pods] = await Promise.all([
        context.client.apps.listReplicaSetForAllNamespaces(),
        context.client.core.listPodForAllNamespaces(),
      ]);
      const podsByOwner = groupByController(pods.items);
      for (const replicaSet of sets.items) {
        if (replicaSet.metadata?.deletionTimestamp) continue;
        await syncReplicaSet(context, replicaSet, podsByOwner.get(replicaSet.metadata?.uid ?? '') ?? []);
      }
    },
  };
}

async function syncReplicaSet(context: ControllerContext, replicaSet: V1ReplicaSet, owned: V1Pod[]): Promise<void> {
  const active = owned.filter(isActive);
  const wanted = replicaSet.spec?.replicas ?? 1;
  const difference = wanted - active.length;
  const namespace = replicaSet.metadata?.namespace ?? 'default';
  const name = replicaSet.metadata?.name ?? '';
  const now = context.clock.now();
  if (difference > 0) {
    const ownerReference = controllerReference(replicaSet, 'apps/v1', 'ReplicaSet');
    for (let index = 0; index < difference; index++) {
      const pod = podFromTemplate(replicaSet.spec?.template, {
        name: randomSuffixName(name),
        namespace,
        ownerReference,
      });
      const created = await tolerateGoneOrExists(() =>
        context.client.core.createNamespacedPod({ namespace, body: pod }),
      );
      if (created) {
        active.push(created);
        const message = `Created pod: ${created.metadata?.name}`;
        await recordEvent(context.client.core, COMPONENT, replicaSet, { reason: 'SuccessfulCreate', message }, now);
      }
    }
  } else if (difference < 0) {
    const surplus = [...active].sort(compareForDeletion).slice(0, -difference);
    for (const pod of surplus) {
      const podName = pod.metadata?.name ?? '';
      await tolerateGoneOrExists(() => context.client.core.deleteNamespacedPod({ name: podName, namespace }));
      active.splice(active.indexOf(pod), 1);
      const message = `Deleted pod: ${podName}`;
      await recordEvent(context.client.core, COMPONENT, replicaSet, { reason: 'SuccessfulDelete', message }, now);
    }
  }
  await patchReplicaSetStatus(context, replicaSet, active, now);
}

async function patchReplicaSetStatus(
  context: ControllerContext,
  replicaSet: V1ReplicaSet,
  active: V1Pod[],
  now: Date,
): Promise<void> {
  const minReadySeconds = replicaSet.spec?.minReadySeconds ?? 0;
  const templateLabels = replicaSet.spec?.template?.metadata?.labels ?? {};
  const status = {
    replicas: active.length,
    fullyLabeledReplicas: active.filter((pod) =>
      Object.entries(templateLabels).every(([key, value]) => pod.metadata?.labels?.[key] === value),
    ).length,
    readyReplicas: active.filter(isReady).length,
    availableReplicas: active.filter((pod) => isAvailable(pod, minReadySeconds, now)).length,
    observedGeneration: replicaSet.metadata?.generation ?? 1,
  };
  if (isSubsetOf(status, replicaSet.status)) return;
  await tolerateGoneOrExists(() =>
    context.client.apps.patchNamespacedReplicaSetStatus(
      {
        name: replicaSet.metadata?.name ?? '',
        namespace: replicaSet.metadata?.namespace ?? 'default',
        body: { status },
      },
      MERGE_PATCH,
    ),
  );
}
