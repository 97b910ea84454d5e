import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { MERGE_PATCH, tolerateGoneOrExists } from '../client/api-errors.ts';
import { hashPodTemplate } from '../deployment/template-hash.ts';
import { isSubsetOf } from '../objects/canonical-json.ts';
import { recordEvent } from '../objects/events.ts';
import { randomSuffixName } from '../objects/names.ts';
import { controllerReference, groupByController } from '../objects/owner.ts';
import { isActive, isAvailable, isReady } from '../objects/pod-state.ts';
import { podFromTemplate } from '../objects/pod-template.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';
import { whyNodeDoesNotFit } from '../scheduler/node-fit.ts';

const COMPONENT = 'daemonset-controller';
const REVISION_LABEL = 'controller-revision-hash';

// One pod per node the DaemonSet's pods fit on, pinned there with required node affinity on
// metadata.name (as kube does) and placed by the scheduler; pods of an old template are replaced.
export function createDaemonSetController(context: ControllerContext): Controller {
  return {
    name: COMPONENT,
    watches: ['/apis/apps/v1/daemonsets', '/api/v1/pods', '/api/v1/nodes'],
    resyncMs: 5000,
    async reconcile() {
      const [sets, pods, nodes] = await Promise.all([
        context.client.apps.listDaemonSetForAllNamespaces(),
        context.client.core.listPodForAllNamespaces(),
        context.client.core.listNode(),
      ]);
      const podsByOwner = groupByController(pods.items);
      for (const set of sets.items) {
        if (set.metadata?.deletionTimestamp) continue;
        await syncDaemonSet(context, set, podsByOwner.get(set.metadata?.uid ?? '') ?? [], nodes.items);
      }
    },
  };
}

function pinnedTo(pod: V1Pod): string | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return pod.spec?.nodeName ?? terms?.[0]?.matchFields?.find((field) => field.key === 'metadata.name')?.values?.[0];
}

function daemonPod(set: V1DaemonSet, node: string, revision: string): V1Pod {
  const pod = podFromTemplate(set.spec?.template, {
    name: randomSuffixName(set.metadata?.name ?? ''),
    namespace: set.metadata?.namespace ?? 'default',
    ownerReference: controllerReference(set, 'apps/v1', 'DaemonSet'),
    labels: { [REVISION_LABEL]: revision },
  });
  const spec = pod.spec ?? { containers: [] };
  spec.affinity = {
    ...spec.affinity,
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  };
  spec.tolerations = [
    ...(spec.tolerations ?? []),
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  pod.spec = spec;
  return pod;
}

async function syncDaemonSet(context: ControllerContext, set: V1DaemonSet, owned: V1Pod[], nodes: V1Node[]) {
  const namespace = set.metadata?.namespace ?? 'default';
  const revision = hashPodTemplate(set.spec?.template);
  const now = context.clock.now();
  const { core } = context.client;
  const eligible = nodes.filter((node) => {
    const probe = daemonPod(set, node.metadata?.name ?? '', revision);
    return whyNodeDoesNotFit(probe, node) === null;
  });
  const eligibleNames = new Set(eligible.map((node) => node.metadata?.name ?? ''));
  const active = owned.filter(isActive);
  const remove = (pod: V1Pod) =>
    tolerateGoneOrExists(() => core.deleteNamespacedPod({ name: pod.metadata?.name ?? '', namespace }));
  for (const pod of active) {
    const node = pinnedTo(pod);
    const outdated =
      pod.metadata?.labels?.[REVISION_LABEL] !== revision && set.spec?.updateStrategy?.type !== 'OnDelete';
    if (!node || !eligibleNames.has(node) || outdated) await remove(pod);
  }
  const kept = active.filter(
    (pod) => pod.metadata?.labels?.[REVISION_LABEL] === revision || set.spec?.updateStrategy?.type === 'OnDelete',
  );
  const covered = new Set(kept.map(pinnedTo));
  for (const node of eligibleNames) {
    if (covered.has(node)) continue;
    const body = daemonPod(set, node, revision);
    const created = await tolerateGoneOrExists(() => core.createNamespacedPod({ namespace, body }));
    if (created) {
      const message = `Created pod: ${created.metadata?.name}`;
      await recordEvent(core, COMPONENT, set, { reason: 'SuccessfulCreate', message }, now);
    }
  }
  const scheduled = kept.filter((pod) => pod.spec?.nodeName && eligibleNames.has(pod.spec.nodeName));
  const status = {
    desiredNumberScheduled: eligibleNames.size,
    currentNumberScheduled: scheduled.length,
    numberMisscheduled: kept.filter((pod) => pod.spec?.nodeName && !eligibleNames.has(pod.spec.nodeName)).length,
    numberReady: scheduled.filter(isReady).length,
    numberAvailable: scheduled.filter((pod) => isAvailable(pod, set.spec?.minReadySeconds ?? 0, now)).length,
    numberUnavailable: Math.max(eligibleNames.size - scheduled.filter(isReady).length, 0),
    updatedNumberScheduled: scheduled.filter((pod) => pod.metadata?.labels?.[REVISION_LABEL] === revision).length,
    observedGeneration: set.metadata?.generation ?? 1,
  };
  if (isSubsetOf(status, set.status)) return;
  await tolerateGoneOrExists(() =>
    context.client.apps.patchNamespacedDaemonSetStatus(
      { name: set.metadata?.name ?? '', namespace, body: { status } },
      MERGE_PATCH,
    ),
  );
}
