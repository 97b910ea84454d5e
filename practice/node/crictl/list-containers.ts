import type { V1ContainerStatus, V1PodList } from '@kubernetes/client-node';

export interface NodeContainer {
  /** The runtime's id, without its `containerd://` scheme. */
  id: string;
  name: string;
  image: string;
  state: 'Running' | 'Exited';
  createdAt: Date | null;
  attempt: number;
  podId: string;
  podName: string;
  namespace: string;
  /** Whether this is the container's run before the current one (kubelet's lastState). */
  previous: boolean;
}

// Every container run a kubelet knows, as crictl lists them: the current run of each container
// and the one before it (kubelet's lastState), newest first.
export function listNodeContainers(pods: V1PodList): NodeContainer[] {
  const containers: NodeContainer[] = [];
  for (const pod of pods.items) {
    const podFields = {
      podId: (pod.metadata?.uid ?? '').replaceAll('-', ''),
      podName: pod.metadata?.name ?? '',
      namespace: pod.metadata?.namespace ?? '',
    };
    for (const status of pod.status?.containerStatuses ?? []) {
      const current = currentRun(status);
      if (current) containers.push({ ...current, ...podFields });
      const before = status.lastState?.terminated;
      if (before?.containerID && before.containerID !== status.containerID) {
        containers.push({
          ...podFields,
          id: stripScheme(before.containerID),
          name: status.name,
          image: status.image,
          state: 'Exited',
          createdAt: toDate(before.startedAt),
          attempt: Math.max(0, status.restartCount - 1),
          previous: true,
        });
      }
    }
  }
  return containers.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

function currentRun(status: V1ContainerStatus): Omit<NodeContainer, 'podId' | 'podName' | 'namespace'> | null {
  if (!status.containerID) return null;
  const running = status.state?.running;
  const ended = status.state?.terminated ?? status.lastState?.terminated;
  return {
    id: stripScheme(status.containerID),
    name: status.name,
    image: status.image,
    state: running ? 'Running' : 'Exited',
    createdAt: toDate(running?.startedAt ?? ended?.startedAt),
    attempt: status.restartCount,
    previous: false,
  };
}

function stripScheme(id: string): string {
  return id.replace(/^[a-z]+:\/\//, '');
}

function toDate(value: Date | string | undefined): Date | null {
  return value === undefined ? null : new Date(value);
}
