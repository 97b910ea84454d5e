import type { V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';

export interface PodStatusInput {
  pod: V1Pod;
  initStatuses: V1ContainerStatus[];
  statuses: V1ContainerStatus[];
  /** Volumes are set up and the pod's address is known. */
  sandboxReady: boolean;
  initialized: boolean;
  /** An init container failed and restartPolicy says never again. */
  initFailed: boolean;
  podIP: string;
  hostIP: string;
  startTime: Date;
  previous: V1PodCondition[];
}

// A pod's status as kubelet reports it: its phase from its containers' states (kubelet's getPhase),
// the five conditions with their transition times, and each container's status.
export function computePodStatus(input: PodStatusInput): V1PodStatus {
  const { pod, statuses } = input;
  const unready = statuses.filter((status) => !status.ready).map((status) => status.name);
  const containersReady = unready.length === 0 && statuses.length > 0;
  const notReady = { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const uninitialized = input.initStatuses.filter((status) => status.state?.terminated?.exitCode !== 0);
  const conditions: [string, boolean, { reason?: string; message?: string }][] = [
    ['PodReadyToStartContainers', input.sandboxReady, {}],
    [
      'Initialized',
      input.initialized,
      input.initialized
        ? {}
        : {
            reason: 'ContainersNotInitialized',
            message: `containers with incomplete status: [${uninitialized.map((s) => s.name).join(' ')}]`,
          },
    ],
    ['Ready', containersReady, containersReady ? {} : notReady],
    ['ContainersReady', containersReady, containersReady ? {} : notReady],
    ['PodScheduled', true, {}],
  ];
  return {
    phase: computePhase(input),
    conditions: conditions.map(([type, status, extra]) => condition(type, status, extra, input.previous)),
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: input.startTime,
    ...(input.initStatuses.length > 0 ? { initContainerStatuses: input.initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: qosClass(pod),
  };
}

function condition(
  type: string,
  ok: boolean,
  extra: { reason?: string; message?: string },
  previous: V1PodCondition[],
): V1PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((item) => item.type === type);
  const lastTransitionTime = (before?.status === status ? before.lastTransitionTime : undefined) ?? new Date();
  return { type, status, lastTransitionTime, ...extra };
}

function computePhase(input: PodStatusInput): string {
  if (input.initFailed) return 'Failed';
  if (!input.initialized) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const status of input.statuses) {
    if (status.state?.running) running++;
    else if (status.state?.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.lastState?.terminated) stopped++;
    else waiting++;
  }
  const policy = input.pod.spec?.restartPolicy ?? 'Always';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return policy === 'OnFailure' ? 'Running' : 'Failed';
}

function qosClass(pod: V1Pod): string {
  const containers = pod.spec?.containers ?? [];
  const resources = containers.map((container) => container.resources ?? {});
  if (resources.every((item) => !item.requests && !item.limits)) return 'BestEffort';
  const guaranteed = resources.every(
    (item) =>
      item.limits?.cpu !== undefined &&
      item.limits?.memory !== undefined &&
      (item.requests?.cpu ?? item.limits.cpu) === item.limits.cpu &&
      (item.requests?.memory ?? item.limits.memory) === item.limits.memory,
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
