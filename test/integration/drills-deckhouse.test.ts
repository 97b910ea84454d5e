import { describe, expect, it } from 'vitest';
import { describeDrill, useDrillStateDir } from '../helpers/drill-attempt.ts';

const DRILL = 'deckhouse-deleted-workloads';
const OBJECTS = 'the supercronic Deployment is back';
const state = useDrillStateDir('drills-deckhouse');

describe('the Deckhouse drill, headless with its reference answers', () => {
  it('is solved on one master: the Deployment deleted after the backup is back, the member healthy, exit 0', async () => {
    const result = await state().drill(DRILL, [], 280_000);
    expect(result.code, describeDrill(result)).toBe(0);
    expect(result.stdout).toMatch(/Symptoms: .*lists nothing/);
    expect(result.stdout).toContain('── deckhouse-etcd-restore, in training mode ──');
    expect(result.stdout).toContain(`✔ PASS ${OBJECTS}: all found`);
    expect(result.stdout).toContain('✔ PASS 1 etcd members are healthy');
    expect(result.stdout).toMatch(/Drill PASSED: 2 of 2 criteria met/);
    expect(result.attempt).toMatchObject({
      drill: DRILL,
      status: 'passed',
      runs: [{ slug: 'deckhouse-etcd-restore' }],
    });
    const back = await state().kubectl(['-n', 'infra-production', 'get', 'deployment', 'supercronic', '-o', 'name']);
    expect(back.stdout).toBe('deployment.apps/supercronic');
  }, 300_000);

  // The data is kept (no clearing either), so etcd starts again on the cluster as the fault left it.
  it('fails its criteria when the restore step is skipped, exit 1', async () => {
    const skips = ['clear-member-folder', 'restore-snapshot'].flatMap((id) => ['--skip', `${id}=proving the grading`]);
    const result = await state().drill(DRILL, skips, 280_000);
    expect(result.code, describeDrill(result)).toBe(1);
    expect(result.stdout).toContain(`✘ FAIL ${OBJECTS}: missing: deployment infra-production/supercronic`);
    expect(result.stdout).toContain('✔ PASS 1 etcd members are healthy');
    expect(result.attempt).toMatchObject({ status: 'failed' });
  }, 300_000);
});
