import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckPropsSchema } from '../../../protocol/index.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../../helpers/fixtures.ts';

// The checks that only inform. Every other check of the published runbooks fails its step when it
// does not hold; a new advisory check is a decision to write down here.
const ADVISORY = [
  'deckhouse-etcd-backup/check-backup-cronjob: a d8-etcd-backup CronJob exists',
  'deckhouse-etcd-members/member-list: a member is started',
  'deckhouse-etcd-members/endpoint-status: one endpoint reports itself as leader',
  'getting-started/use-values: the greeting is hello',
  'kubeadm-etcd-troubleshooting/check-etcdctl: stdout matches /sudo works without a password/',
];

describe('checks', () => {
  it('gate their step unless marked advisory', () => {
    expect(CheckPropsSchema.parse({ exit: 0 }).advisory).toBe(false);
    expect(CheckPropsSchema.parse({ regex: 'ok', advisory: true }).advisory).toBe(true);
  });

  it('in the published runbooks are advisory exactly where decided', async () => {
    const { manifest, diagnostics } = await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT);
    expect(diagnostics).toEqual([]);
    const advisory = manifest.runbooks.flatMap((runbook) =>
      runbook.steps.flatMap((step) =>
        step.kind === 'command'
          ? step.checks.filter((check) => check.advisory).map((check) => `${runbook.slug}/${step.id}: ${check.label}`)
          : [],
      ),
    );
    expect(advisory.sort()).toEqual([...ADVISORY].sort());
  });
});
