import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { MERGE_PATCH, tolerateGoneOrExists } from '../client/api-errors.ts';
import { recordEvent } from '../objects/events.ts';
import { controllerUid } from '../objects/owner.ts';
import { hasFinished, isTerminating } from '../objects/pod-state.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';
import { whyNodeDoesNotFit } from './node-fit.ts';

const SCHEDULER_NAME = 'default-scheduler';

// kube-scheduler's job, simply: each pending pod without a node goes to a fitting Ready node,
// the one with the fewest pods of the same controller, then the fewest pods.
export function createScheduler(context: ControllerContext): Controller {
  const unschedulableReported = new Set<string>();
  return {
    name: 'scheduler',
    watches: ['/api/v1/pods', '/api/v1/nodes'],
    resyncMs: 3000,
    async reconcile() {
      const [pods, nodes] = await Promise.all([
        context.client.core.listPodForAllNamespaces(),
        context.client.core.listNode(),
      ]);
      const placed = pods.items.filter((pod) => pod.spec?.nodeName && !hasFinished(pod));
      const waiting = pods.items.filter(
        (pod) =>
          !pod.spec?.nodeName &&
          !isTerminating(pod) &&
          !hasFinished(pod) &&
          (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME,
      );
      for (const pod of waiting) {
        const choice = pickNode(pod, nodes.items, placed);
        const key = pod.metadata?.uid ?? '';
        if ('reason' in choice) {
          if (!unschedulableReported.has(key)) {
            unschedulableReported.add(key);
            await recordEvent(
              context.client.core,
              SCHEDULER_NAME,
              pod,
              { reason: 'FailedScheduling', message: choice.reason, type: 'Warning' },
              context.clock.now(),
            );
          }
          continue;
        }
        unschedulableReported.delete(key);
        await bindPod(context, pod, choice.node);
        placed.push({ ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: choice.node } });
      }
    },
  };
}

type Choice = { node: string } | { reason: string };

// The node for one pod, or the message kube-scheduler would give for having none.
export function pickNode(pod: V1Pod, nodes: V1Node[], placed: V1Pod[]): Choice {
  const reasons = new Map<string, number>();
  const fitting: string[] = [];
  for (const node of nodes) {
    const reason = whyNodeDoesNotFit(pod, node);
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    else fitting.push(node.metadata?.name ?? '');
  }
  if (fitting.length === 0) {
    const detail = [...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ');
    return { reason: `0/${nodes.length} nodes are available${detail ? `: ${detail}` : ''}.` };
  }
  const owner = controllerUid(pod);
  const score = (node: string) => {
    const onNode = placed.filter((other) => other.spec?.nodeName === node);
    const siblings = owner ? onNode.filter((other) => controllerUid(other) === owner).length : 0;
    return siblings * 10_000 + onNode.length;
  };
  const [best] = fitting.sort((left, right) => score(left) - score(right) || left.localeCompare(right));
  return { node: best ?? '' };
}

async function bindPod(context: ControllerContext, pod: V1Pod, node: string): Promise<void> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? 'default';
  const bound = await tolerateGoneOrExists(() =>
    context.client.core.patchNamespacedPod(
      {
        name,
        namespace,
        body: { metadata: { resourceVersion: pod.metadata?.resourceVersion }, spec: { nodeName: node } },
      },
      MERGE_PATCH,
    ),
  );
  if (!bound) return;
  await recordEvent(
    context.client.core,
    SCHEDULER_NAME,
    { apiVersion: 'v1', kind: 'Pod', metadata: bound.metadata },
    { reason: 'Scheduled', message: `Successfully assigned ${namespace}/${name} to ${node}` },
    context.clock.now(),
  );
}
