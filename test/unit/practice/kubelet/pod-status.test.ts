import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { expandReferences } from '../../../../practice/kubelet/pods/container-env.ts';
import { computePodStatus } from '../../../../practice/kubelet/pods/pod-status.ts';

const pod = (restartPolicy: string): V1Pod => ({ spec: { restartPolicy, containers: [{ name: 'a' }, { name: 'b' }] } });
const running: V1ContainerStatus = {
  name: 'a',
  image: 'x',
  imageID: '',
  ready: true,
  restartCount: 0,
  state: { running: {} },
};
const exited = (name: string, exitCode: number): V1ContainerStatus => ({
  name,
  image: 'x',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode } },
});
const waiting = (name: string, reason: string, crashed = false): V1ContainerStatus => ({
  name,
  image: 'x',
  imageID: '',
  ready: false,
  restartCount: crashed ? 1 : 0,
  state: { waiting: { reason } },
  ...(crashed ? { lastState: { terminated: { exitCode: 1 } } } : {}),
});

function status(restartPolicy: string, statuses: V1ContainerStatus[]) {
  return computePodStatus({
    pod: pod(restartPolicy),
    initStatuses: [],
    statuses,
    sandboxReady: true,
    initialized: true,
    initFailed: false,
    podIP: '127.1.1.64',
    hostIP: '127.1.1.11',
    startTime: new Date(),
    previous: [],
  });
}

describe('pod status', () => {
  it('derives the phase from the containers as kubelet does', () => {
    expect(status('Always', [running, waiting('b', 'ErrImagePull')]).phase).toBe('Pending');
    expect(status('Always', [running, waiting('b', 'CrashLoopBackOff', true)]).phase).toBe('Running');
    expect(status('Never', [exited('a', 0), exited('b', 0)]).phase).toBe('Succeeded');
    expect(status('Never', [exited('a', 0), exited('b', 2)]).phase).toBe('Failed');
    expect(status('OnFailure', [exited('a', 0), exited('b', 2)]).phase).toBe('Running');
  });

  it('is Ready only when every container is ready, naming the ones that are not', () => {
    const partly = status('Always', [running, { ...running, name: 'b', ready: false }]);
    const ready = partly.conditions?.find((condition) => condition.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [b]',
    });
    const all = status('Always', [running, { ...running, name: 'b' }]);
    expect(all.conditions?.map((condition) => [condition.type, condition.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
  });

  it('expands $(VAR) references from defined variables only, and $$ escapes', () => {
    const defined = { MY_POD_NAME: 'etcd-0', EMPTY: '' };
    expect(expandReferences('http://$(MY_POD_NAME).etcd-headless:2380', defined)).toBe(
      'http://etcd-0.etcd-headless:2380',
    );
    expect(expandReferences('$(UNKNOWN)-$(EMPTY)-$$(MY_POD_NAME)', defined)).toBe('$(UNKNOWN)--$(MY_POD_NAME)');
  });
});
