import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { whyNodeDoesNotFit } from '../../../../practice/controller-manager/scheduler/node-fit.ts';
import { pickNode } from '../../../../practice/controller-manager/scheduler/scheduler.ts';

function node(
  name: string,
  extra: {
    labels?: Record<string, string>;
    taints?: V1Node['spec'] extends infer S ? (S extends { taints?: infer T } ? T : never) : never;
    ready?: boolean;
  } = {},
): V1Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: extra.taints ? { taints: extra.taints } : {},
    status: { conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
  };
}

function pod(spec: Partial<NonNullable<V1Pod['spec']>> = {}, owner?: string, nodeName?: string): V1Pod {
  return {
    metadata: {
      name: 'p',
      ...(owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] }
        : {}),
    },
    spec: { containers: [], ...spec, ...(nodeName ? { nodeName } : {}) },
  };
}

const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('which nodes a pod fits', () => {
  it('needs a Ready node whose labels match nodeSelector and required node affinity', () => {
    expect(whyNodeDoesNotFit(pod(), node('a', { ready: false }))).toBe('node(s) were not ready');
    expect(whyNodeDoesNotFit(pod({ nodeSelector: { disk: 'ssd' } }), node('a'))).toMatch(/node affinity\/selector/);
    expect(
      whyNodeDoesNotFit(pod({ nodeSelector: { disk: 'ssd' } }), node('a', { labels: { disk: 'ssd' } })),
    ).toBeNull();
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }],
        },
      },
    };
    expect(whyNodeDoesNotFit(pod({ affinity }), node('a'))).not.toBeNull();
    expect(whyNodeDoesNotFit(pod({ affinity }), node('b'))).toBeNull();
  });

  it('keeps pods off tainted control-plane nodes unless they tolerate the taint', () => {
    const tainted = node('cp', { taints: [controlPlaneTaint] });
    expect(whyNodeDoesNotFit(pod(), tainted)).toContain('untolerated taint {node-role.kubernetes.io/control-plane: }');
    expect(
      whyNodeDoesNotFit(
        pod({
          tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
        }),
        tainted,
      ),
    ).toBeNull();
    expect(whyNodeDoesNotFit(pod({ tolerations: [{ operator: 'Exists' }] }), tainted)).toBeNull();
  });

  it('spreads a controller’s pods over the nodes, then fills the emptiest', () => {
    const nodes = [node('a'), node('b')];
    const placed = [pod({}, 'rs-1', 'a'), pod({}, 'other', 'b'), pod({}, 'other', 'b')];
    expect(pickNode(pod({}, 'rs-1'), nodes, placed)).toEqual({ node: 'b' });
    expect(pickNode(pod({}, 'rs-2'), nodes, placed)).toEqual({ node: 'a' });
    expect(pickNode(pod({ nodeSelector: { zone: 'x' } }), nodes, [])).toEqual({
      reason: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
    });
  });
});
