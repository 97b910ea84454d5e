import { describe, expect, it } from 'vitest';
import { describeDrill, useDrillStateDir } from '../helpers/drill-attempt.ts';

const DRILL = 'kubeadm-deleted-workloads';
const OBJECTS = "the shop's Deployment and Secret are back";
const state = useDrillStateDir('drills-kubeadm');

describe('the kubeadm drill, headless with its reference answers', () => {
  it('refuses an unknown drill and a --skip of a step no runbook has, before touching a cluster', async () => {
    const unknown = await state().drill('no-such-drill');
    expect(unknown.code, describeDrill(unknown)).toBe(2);
    expect(unknown.stderr).toContain('no drill "no-such-drill"');
    const badSkip = await state().drill(DRILL, ['--skip', 'restore-snapshots']);
    expect(badSkip.code, describeDrill(badSkip)).toBe(2);
    expect(badSkip.stderr).toContain('no step "restore-snapshots"');
  }, 120_000);

  it('is solved: the objects deleted after the snapshot are back, the member healthy, exit 0', async () => {
    const result = await state().drill(DRILL);
    expect(result.code, describeDrill(result)).toBe(0);
    expect(result.stdout).toMatch(/Symptoms: .*lists nothing/);
    expect(result.stdout).toContain('── kubeadm-etcd-restore, in training mode ──');
    expect(result.stdout).toMatch(/Run \S+ created: Restore etcd on a kubeadm cluster \(training\)/);
    expect(result.stdout).toContain(`✔ PASS ${OBJECTS}: all found`);
    expect(result.stdout).toContain('✔ PASS 1 etcd members are healthy');
    expect(result.stdout).toContain('## Trainee report: kubeadm-etcd-restore');
    expect(result.stdout).toMatch(/\| `practice-wipe-data` \| skipped \|/);
    expect(result.stdout).toMatch(/Drill PASSED: 2 of 2 criteria met/);
    expect(result.attempt).toMatchObject({
      drill: DRILL,
      operator: 'trainee',
      via: 'headless',
      status: 'passed',
      runs: [{ slug: 'kubeadm-etcd-restore' }],
    });
    const web = await state().kubectl(['-n', 'shop', 'get', 'deployment', 'web', '-o', 'name']);
    expect(web.stdout).toBe('deployment.apps/web');
  }, 240_000);

  it('fails its criteria when the restore step is skipped, exit 1', async () => {
    const result = await state().drill(DRILL, ['--skip', 'restore-snapshot=proving the grading']);
    expect(result.code, describeDrill(result)).toBe(1);
    expect(result.stdout).toContain('- restore-snapshot skipped: proving the grading');
    expect(result.stdout).toContain('The run of kubeadm-etcd-restore stopped');
    expect(result.stdout).toContain(`✘ FAIL ${OBJECTS}: missing: deployment shop/web, secret shop/web-credentials`);
    expect(result.stdout).toMatch(/Drill FAILED: 0 of 2 criteria met/);
    expect(result.attempt).toMatchObject({ status: 'failed', criteria: [{ passed: false }, { passed: false }] });
  }, 240_000);
});
