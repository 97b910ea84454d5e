import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { compileDrillSource } from '../../../site/compiler/drills/compile-drill.ts';
import { compileDrills } from '../../../site/compiler/drills/compile-drills.ts';
import { ROOT } from '../../helpers/fixtures.ts';

const { manifest } = await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT);

const GOOD = `title: T
summary: S
fixture: kubeadm
symptoms: Things are gone.
fault:
  kind: lose-member-data
  node: cp-2
runbooks:
  - slug: kubeadm-etcd-restore
    restoreSteps: [restore-snapshot]
    answers:
      params: { snapshotPath: /var/backups/s.db }
timeLimit: 20m
criteria:
  - kind: etcd-members-healthy
    count: 3
`;

const compile = (source: string) => compileDrillSource(source, 'content/drills/t.yaml', manifest);
const problems = (source: string) => {
  const result = compile(source);
  if (result.ok) throw new Error('compiled, expected diagnostics');
  return result.diagnostics.map(({ line, message, hint, code }) => ({ line, message, hint, code }));
};

describe('drill files', () => {
  it('compile the repository drills, one per platform', async () => {
    const { drills, diagnostics } = await compileDrills(path.join(ROOT, 'content/drills'), manifest, ROOT);
    expect(diagnostics).toEqual([]);
    expect(drills.map((drill) => drill.fixture).sort()).toEqual(['deckhouse', 'deephaven', 'kubeadm']);
  });

  it('turn the time limit into milliseconds and keep the name from the file', () => {
    const result = compile(GOOD);
    expect(result.ok && result.drill).toMatchObject({
      name: 't',
      timeLimit: 1_200_000,
      fault: { kind: 'lose-member-data' },
    });
  });

  it('report schema problems at their line', () => {
    expect(problems(GOOD.replace('node: cp-2', 'node: cp-9'))).toEqual([
      expect.objectContaining({ code: 'invalid-drill', line: 7, message: expect.stringMatching(/cp-9/) }),
    ]);
    expect(problems(GOOD.replace('fixture: kubeadm', 'fixtur: kubeadm'))).toContainEqual(
      expect.objectContaining({ line: 3, hint: expect.stringMatching(/did you mean "fixture"/) }),
    );
    expect(problems(GOOD.replace('count: 3', 'count: 3\n    extra: 1'))[0]).toMatchObject({ line: 17 });
  });

  it('report runbooks, steps and answers that do not exist, at their line', () => {
    expect(problems(GOOD.replace('slug: kubeadm-etcd-restore', 'slug: kubeadm-etcd-restor'))).toEqual([
      expect.objectContaining({
        line: 9,
        message: 'no runbook "kubeadm-etcd-restor"',
        hint: expect.stringMatching(/kubeadm-etcd-restore/),
      }),
    ]);
    expect(problems(GOOD.replace('[restore-snapshot]', '[restore-snapshots]'))[0]).toMatchObject({
      line: 10,
      message: 'runbook "kubeadm-etcd-restore" has no step "restore-snapshots"',
    });
    expect(problems(GOOD.replace('snapshotPath:', 'snapshotPat:'))[0]).toMatchObject({
      line: 12,
      message: 'runbook "kubeadm-etcd-restore" has no param "snapshotPat"',
    });
    const skipping = (ids: string) =>
      GOOD.replace('/var/backups/s.db }', `/var/backups/s.db }\n      skip: { ${ids} }`);
    expect(problems(skipping('restore-snapshot: not needed'))[0]).toMatchObject({
      line: 13,
      message: 'the reference answers skip the restore step "restore-snapshot"',
    });
    expect(problems(skipping('practice-wipe: not here'))[0]).toMatchObject({
      message: 'runbook "kubeadm-etcd-restore" has no step "practice-wipe"',
      hint: expect.stringMatching(/practice-wipe-data/),
    });
  });

  it('keep faults on node paths a practice node has', () => {
    expect(
      problems(
        GOOD.replace(
          'kind: lose-member-data\n  node: cp-2',
          'kind: delete-objects-after-snapshot\n  namespace: shop\n  resources: [secrets]\n  snapshot: { node: cp-1, path: /var/backups/s.db }',
        ),
      )[0],
    ).toMatchObject({
      message: expect.stringMatching(/under \/etc, \/var\/lib or \/var\/log/),
    });
  });

  it('report invalid YAML at its line', () => {
    expect(problems(`${GOOD}  - kind: [\n`)[0]).toMatchObject({
      code: 'invalid-drill',
      message: expect.stringMatching(/not valid YAML/),
    });
  });
});
