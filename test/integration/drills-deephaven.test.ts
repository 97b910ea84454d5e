import { describe, expect, it } from 'vitest';
import { describeDrill, useDrillStateDir } from '../helpers/drill-attempt.ts';

const DRILL = 'deephaven-etcd-release-gone';
const SECRET = "Deephaven's etcd client Secret points at a healthy etcd";
const state = useDrillStateDir('drills-deephaven');

async function serverEndpoint(): Promise<string> {
  const read = await state().kubectl([
    '-n',
    'dhns',
    'get',
    'secret',
    'deephaven-etcd-client-cred-server',
    '-o',
    'jsonpath={.data.endpoints}',
  ]);
  return Buffer.from(read.stdout, 'base64').toString();
}

describe('the Deephaven drill, headless with its reference answers', () => {
  it('is solved: a new release restored from the snapshot the drill left, the client Secrets pointed at it', async () => {
    const result = await state().drill(DRILL, [], 300_000);
    expect(result.code, describeDrill(result)).toBe(0);
    expect(result.stdout).toMatch(/Symptoms: .*the dh-etcd pods are gone/);
    expect(result.stdout).toContain('── deephaven-etcd-restore, in training mode ──');
    expect(result.stdout).toContain('── deephaven-etcd-repoint, in training mode ──');
    expect(result.stdout).toContain('✔ PASS these objects exist: statefulset dhns/dh-etcd2: all found');
    expect(result.stdout).toContain(`✔ PASS ${SECRET}: healthy: http://dh-etcd2.dhns.svc.cluster.local:2379`);
    expect(result.stdout).toContain('## Trainee report: deephaven-etcd-restore');
    expect(result.stdout).toContain('## Trainee report: deephaven-etcd-repoint');
    expect(result.attempt).toMatchObject({
      status: 'passed',
      runs: [{ slug: 'deephaven-etcd-restore' }, { slug: 'deephaven-etcd-repoint' }],
    });
    expect(await serverEndpoint()).toBe('http://dh-etcd2.dhns.svc.cluster.local:2379');
  }, 500_000);

  it('fails its criteria when the step that repoints the Secrets is skipped, exit 1', async () => {
    const result = await state().drill(DRILL, ['--skip', 'update-client-secrets=proving the grading'], 300_000);
    expect(result.code, describeDrill(result)).toBe(1);
    expect(result.stdout).toContain('- update-client-secrets skipped: proving the grading');
    expect(result.stdout).toContain(
      `✘ FAIL ${SECRET}: http://dh-etcd.dhns.svc.cluster.local:2379: service dhns/dh-etcd has no ready endpoint`,
    );
    expect(result.stdout).toMatch(/Drill FAILED: 1 of 2 criteria met/);
    expect(result.attempt).toMatchObject({ status: 'failed', criteria: [{ passed: true }, { passed: false }] });
    expect(await serverEndpoint()).toBe('http://dh-etcd.dhns.svc.cluster.local:2379');
  }, 500_000);
});
