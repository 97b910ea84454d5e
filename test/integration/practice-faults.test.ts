import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCriteria } from '../../practice/drills/check-criteria.ts';
import { injectFault } from '../../practice/faults/inject-fault.ts';
import { fixtureContext } from '../../practice/fixtures/fixture-context.ts';
import { loadFixture } from '../../practice/fixtures/load-fixture.ts';
import type { Criterion } from '../../protocol/index.ts';
import { eventually, usePracticeCluster } from '../helpers/practice-cluster.ts';

// Faults have a real effect on the practice cluster, and the criteria checker sees it.
const practice = usePracticeCluster('faults');

const SHOP: Criterion = {
  kind: 'objects-exist',
  objects: [
    { kind: 'deployment', namespace: 'shop', name: 'web' },
    { kind: 'secret', namespace: 'shop', name: 'web-credentials' },
  ],
};
const THREE_HEALTHY: Criterion = { kind: 'etcd-members-healthy', count: 3 };

describe('drill faults on the practice cluster', () => {
  it('deletes a namespace’s objects after a snapshot, then loses a member’s data', async () => {
    const { layout, stateDir } = practice();
    await loadFixture(layout, 'kubeadm');
    const context = await fixtureContext(layout);
    expect((await checkCriteria(context, [SHOP, THREE_HEALTHY])).map((result) => result.passed)).toEqual([true, true]);

    await injectFault(
      context,
      {
        kind: 'delete-objects-after-snapshot',
        namespace: 'shop',
        resources: ['deployments', 'secrets'],
        snapshot: { node: 'cp-1', path: '/var/lib/etcd-backup/etcd-snapshot.db' },
      },
      path.join(stateDir, 'drill'),
    );
    const [cp1] = layout.nodes;
    expect((await stat(path.join(cp1?.root ?? '', 'var/lib/etcd-backup/etcd-snapshot.db'))).size).toBeGreaterThan(0);
    const [objects] = await checkCriteria(context, [SHOP]);
    expect(objects).toMatchObject({
      passed: false,
      detail: 'missing: deployment shop/web, secret shop/web-credentials',
    });

    await injectFault(context, { kind: 'lose-member-data', node: 'cp-3' }, path.join(stateDir, 'drill'));
    const [members] = await eventually(async () => {
      const results = await checkCriteria(context, [THREE_HEALTHY]);
      expect(results[0]?.passed).toBe(false);
      return results;
    }, 30_000);
    expect(members?.detail).toMatch(/^2 healthy; cp-3:/);
  }, 240_000);

  // Right after the fault, `endpoint status` still answers from the member left alone; `endpoint
  // health` needs a quorum, so no member counts as healthy.
  it('counts no member healthy once quorum is lost, though cp-1 still runs', async () => {
    const { layout, stateDir } = practice();
    const context = await fixtureContext(layout);
    await injectFault(context, { kind: 'lose-quorum', nodes: ['cp-2', 'cp-3'] }, path.join(stateDir, 'drill'));
    const [member] = await checkCriteria(context, [{ kind: 'etcd-members-healthy', count: 1 }]);
    expect(member?.passed).toBe(false);
    expect(member?.detail).toMatch(/^0 healthy; cp-1: /);
  }, 120_000);
});
