import type { StepTarget } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { clientNode } from '../kube/client-node.ts';

type PodTarget = Extract<StepTarget, { kind: 'pod' }>;

// The pod a podSelector step runs in: the only Running pod the selector matches in the namespace
// (through the run's pinned kubeconfig), or the one the operator chose among several, as with a
// capture's candidates. None, or several without a valid choice, refuses the step before it starts.
export async function selectPod(
  target: PodTarget,
  kubeconfigFile: string,
  request: { stepId: string; chosen: string | undefined },
): Promise<PodTarget> {
  if (target.pod !== undefined || target.podSelector === undefined) return target;
  const config = new (clientNode().KubeConfig)();
  config.loadFromFile(kubeconfigFile);
  const labelSelector = target.podSelector;
  const list = await config
    .makeApiClient(clientNode().CoreV1Api)
    .listNamespacedPod({ namespace: target.namespace, labelSelector })
    .catch((error: unknown) => {
      const reason = (error as { body?: { message?: string } }).body?.message ?? (error as Error).message;
      throw new RunnerError('NO_PODS', `could not list the pods labelled ${labelSelector}: ${reason}`, {
        cause: error,
      });
    });
  const candidates = list.items
    .filter((pod) => pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp)
    .map((pod) => pod.metadata?.name ?? '')
    .filter((name) => name !== '')
    .sort();
  const where = `${labelSelector} in ${target.namespace}`;
  if (candidates.length === 0) {
    throw new RunnerError('NO_PODS', `step "${request.stepId}" runs in a pod labelled ${where}, and none is Running`);
  }
  const pod = candidates.length === 1 && request.chosen === undefined ? candidates[0] : request.chosen;
  if (pod === undefined || !candidates.includes(pod)) {
    const why = pod === undefined ? 'choose one' : `"${pod}" is not one of them`;
    throw new RunnerError(
      'CHOOSE_POD',
      `step "${request.stepId}" runs in a pod labelled ${where}: ${candidates.length} are Running (${candidates.join(', ')}); ${why}`,
      { details: { candidates } },
    );
  }
  return { ...target, pod };
}
