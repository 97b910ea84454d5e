import type { V1Deployment, V1ReplicaSet, V1ReplicaSetSpec } from '@kubernetes/client-node';
import { tolerateGoneOrExists } from '../client/api-errors.ts';
import { compact } from '../objects/canonical-json.ts';
import { recordEvent } from '../objects/events.ts';
import { controllerReference } from '../objects/owner.ts';
import type { ControllerContext } from '../runtime/controller.ts';
import { hashPodTemplate, TEMPLATE_HASH_LABEL } from './template-hash.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

export function revisionOf(set: V1ReplicaSet): number {
  return Number(set.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
}

// The ReplicaSet for a Deployment's current template, `<deployment>-<pod-template-hash>`, with the
// hash in its labels, selector and pod template, and the revision `kubectl rollout history` lists.
export async function createNewReplicaSet(
  context: ControllerContext,
  deployment: V1Deployment,
  replicas: number,
  revision: number,
): Promise<V1ReplicaSet | undefined> {
  const name = deployment.metadata?.name ?? '';
  const namespace = deployment.metadata?.namespace ?? 'default';
  const template = structuredClone(deployment.spec?.template);
  const hash = hashPodTemplate(template, deployment.status?.collisionCount ?? 0);
  const labels = { ...(template?.metadata?.labels ?? {}), [TEMPLATE_HASH_LABEL]: hash };
  const changeCause = deployment.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
  const body: V1ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-${hash}`,
      namespace,
      labels,
      annotations: {
        [REVISION_ANNOTATION]: String(revision),
        'deployment.kubernetes.io/desired-replicas': String(deployment.spec?.replicas ?? 1),
        ...(changeCause ? { [CHANGE_CAUSE_ANNOTATION]: changeCause } : {}),
      },
      ownerReferences: [controllerReference(deployment, 'apps/v1', 'Deployment')],
    },
    spec: compact<V1ReplicaSetSpec>({
      replicas,
      minReadySeconds: deployment.spec?.minReadySeconds,
      selector: {
        ...deployment.spec?.selector,
        matchLabels: { ...(deployment.spec?.selector?.matchLabels ?? {}), [TEMPLATE_HASH_LABEL]: hash },
      },
      template: { ...template, metadata: { ...template?.metadata, labels } },
    }),
  };
  const created = await tolerateGoneOrExists(() => context.client.apps.createNamespacedReplicaSet({ namespace, body }));
  if (created) {
    await recordEvent(
      context.client.core,
      'deployment-controller',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: deployment.metadata },
      { reason: 'ScalingReplicaSet', message: `Scaled up replica set ${name}-${hash} from 0 to ${replicas}` },
      context.clock.now(),
    );
  }
  return created;
}
