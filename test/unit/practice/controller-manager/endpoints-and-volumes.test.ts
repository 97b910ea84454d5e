import type { V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { endpointSubsets } from '../../../../practice/controller-manager/endpoints/endpoints-controller.ts';
import { decideOutcome } from '../../../../practice/controller-manager/job/job-conditions.ts';
import { pickVolume, quantityBytes } from '../../../../practice/controller-manager/volume/volume-match.ts';

function pod(name: string, ip: string, ready: boolean): V1Pod {
  return {
    metadata: { name, namespace: 'default', uid: name },
    spec: { nodeName: 'cp-1', containers: [{ name: 'c', ports: [{ name: 'client', containerPort: 2379 }] }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

describe('endpoint subsets', () => {
  const service: V1Service = {
    metadata: { name: 'etcd' },
    spec: { selector: { app: 'etcd' }, ports: [{ name: 'client', port: 2379, targetPort: 'client' }] },
  };

  it('puts ready pods in addresses and the others in notReadyAddresses, resolving named ports', () => {
    const [subset] = endpointSubsets(service, [
      pod('b', '10.0.0.2', true),
      pod('a', '10.0.0.1', true),
      pod('c', '10.0.0.3', false),
    ]);
    expect(subset?.addresses?.map((address) => address.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(subset?.notReadyAddresses?.map((address) => address.ip)).toEqual(['10.0.0.3']);
    expect(subset?.ports).toEqual([{ name: 'client', port: 2379, protocol: 'TCP' }]);
  });

  it('publishes not-ready pods as ready when the service asks, and skips pods without an IP', () => {
    const publishing = { ...service, spec: { ...service.spec, publishNotReadyAddresses: true } };
    const [subset] = endpointSubsets(publishing, [pod('c', '10.0.0.3', false), pod('d', '', true)]);
    expect(subset?.addresses?.map((address) => address.ip)).toEqual(['10.0.0.3']);
    expect(subset?.notReadyAddresses).toBeUndefined();
  });
});

describe('volume matching', () => {
  const volume = (
    name: string,
    size: string,
    modes = ['ReadWriteOnce'],
    storageClassName = 'manual',
  ): V1PersistentVolume => ({
    metadata: { name },
    spec: { storageClassName, capacity: { storage: size }, accessModes: modes },
  });
  const claim = (size: string, modes = ['ReadWriteOnce']): V1PersistentVolumeClaim => ({
    metadata: { name: 'c', namespace: 'default' },
    spec: { storageClassName: 'manual', accessModes: modes, resources: { requests: { storage: size } } },
  });

  it('reads quantities in binary and decimal units', () => {
    expect(quantityBytes('1Gi')).toBe(2 ** 30);
    expect(quantityBytes('500M')).toBe(5e8);
    expect(quantityBytes('lots')).toBeNaN();
  });

  it('picks the smallest volume of the class with room and every access mode', () => {
    const volumes = [
      volume('huge', '100Gi'),
      volume('tiny', '1Gi'),
      volume('right', '8Gi'),
      volume('other', '8Gi', undefined, 'fast'),
    ];
    expect(pickVolume(volumes, claim('5Gi'))?.metadata?.name).toBe('right');
    expect(pickVolume(volumes, claim('5Gi', ['ReadWriteMany']))).toBeUndefined();
    expect(pickVolume(volumes, claim('200Gi'))).toBeUndefined();
  });
});

describe('job outcomes', () => {
  const now = new Date('2025-03-01T10:00:00Z');

  it('completes at completions, or with the first success when completions is unset', () => {
    expect(
      decideOutcome({ spec: { completions: 3, template: {} } }, { active: 1, succeeded: 2, failed: 0 }, now, now),
    ).toBeUndefined();
    expect(
      decideOutcome({ spec: { completions: 3, template: {} } }, { active: 0, succeeded: 3, failed: 0 }, now, now),
    ).toEqual({ type: 'Complete' });
    expect(decideOutcome({ spec: { template: {} } }, { active: 0, succeeded: 1, failed: 0 }, now, now)).toEqual({
      type: 'Complete',
    });
  });

  it('fails past backoffLimit or activeDeadlineSeconds', () => {
    expect(
      decideOutcome({ spec: { backoffLimit: 2, template: {} } }, { active: 0, succeeded: 0, failed: 3 }, now, now),
    ).toMatchObject({ reason: 'BackoffLimitExceeded' });
    const started = new Date(now.getTime() - 61_000);
    expect(
      decideOutcome(
        { spec: { activeDeadlineSeconds: 60, template: {} } },
        { active: 1, succeeded: 0, failed: 0 },
        now,
        started,
      ),
    ).toMatchObject({ reason: 'DeadlineExceeded' });
  });
});
