import { describe, expect, it } from 'vitest';
import {
  newReplicaSetTarget,
  oldReplicaSetTargets,
  resolveRolloutBounds,
} from '../../../../practice/controller-manager/deployment/rollout-math.ts';

describe('rolling update arithmetic', () => {
  it('rounds maxSurge up and maxUnavailable down, and never lets both be zero', () => {
    expect(resolveRolloutBounds(10, undefined, undefined)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(resolveRolloutBounds(3, '25%', '25%')).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(resolveRolloutBounds(3, 0, 0)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(resolveRolloutBounds(4, 2, '50%')).toEqual({ maxSurge: 2, maxUnavailable: 2 });
  });

  it('grows the new ReplicaSet only into the surge room', () => {
    const bounds = { maxSurge: 1, maxUnavailable: 0 };
    expect(newReplicaSetTarget(3, bounds, 0, 3)).toBe(1);
    expect(newReplicaSetTarget(3, bounds, 1, 4)).toBe(1);
    expect(newReplicaSetTarget(3, bounds, 1, 3)).toBe(2);
    expect(newReplicaSetTarget(3, bounds, 5, 5)).toBe(3);
  });

  it('shrinks old ReplicaSets only while replicas - maxUnavailable stay available, unhealthy ones first', () => {
    const bounds = { maxSurge: 1, maxUnavailable: 0 };
    expect(oldReplicaSetTargets(3, bounds, { desired: 1, available: 0 }, [{ desired: 3, available: 3 }])).toEqual([3]);
    expect(oldReplicaSetTargets(3, bounds, { desired: 1, available: 1 }, [{ desired: 3, available: 3 }])).toEqual([2]);
    expect(oldReplicaSetTargets(3, bounds, { desired: 1, available: 1 }, [{ desired: 3, available: 1 }])).toEqual([2]);
    expect(
      oldReplicaSetTargets(4, { maxSurge: 0, maxUnavailable: 2 }, { desired: 0, available: 0 }, [
        { desired: 2, available: 2 },
        { desired: 2, available: 2 },
      ]),
    ).toEqual([0, 2]);
  });
});
