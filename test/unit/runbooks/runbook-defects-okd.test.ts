import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandStepSpec, Manifest, RunbookSpec } from '../../../protocol/index.ts';
import { evaluateCheck } from '../../../runner/checks/evaluate-check.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../../helpers/fixtures.ts';
import { runTemplate, tempDir } from '../../helpers/run-script.ts';

// What the review found in okd-etcd-automated-backup (issue 13): a dynamic claim on a class that
// provisions nothing stays Pending, and a check that accepted Pending let the backup fail 30
// minutes later. The claim check runs here against an `oc` that answers as such a cluster would.
const SLUG = 'okd-etcd-automated-backup';
let manifest: Manifest;
beforeAll(async () => {
  manifest = (await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT)).manifest;
});

const runbook = () => manifest.runbooks.find((item) => item.slug === SLUG) as RunbookSpec;
const stepOf = (id: string) => runbook().steps.find((step) => step.id === id) as CommandStepSpec;

interface ClaimState {
  phase: string;
  binding: string;
  provisioner: string;
  events?: string;
}

/** A step's script run with an `oc` that answers from `state`, and whether its checks pass. */
async function runAgainst(step: CommandStepSpec, values: Record<string, string>, state: ClaimState) {
  const bin = await tempDir('drillbook-fake-oc-');
  const oc = `#!/usr/bin/env bash
case "$*" in
  *"get pvc"*"status.phase"*) printf %s '${state.phase}' ;;
  *"get pvc"*"storageClassName"*) printf %s standard ;;
  *"get storageclass"*"provisioner: "*) printf 'provisioner: %s\\nbinding: %s\\n' '${state.provisioner}' '${state.binding}' ;;
  *"get storageclass"*"volumeBindingMode"*) printf %s '${state.binding}' ;;
  *"get storageclass"*"provisioner"*) printf %s '${state.provisioner}' ;;
  *"get events"*) printf '%s' '${state.events ?? ''}' ;;
  *) echo "unexpected: oc $*" >&2; exit 99 ;;
esac
`;
  await writeFile(path.join(bin, 'oc'), oc);
  await chmod(path.join(bin, 'oc'), 0o755);
  const result = await runTemplate(step.script, values, {
    env: { PATH: `${bin}:/usr/bin:/bin`, LANG: 'C.UTF-8' },
  });
  const outcome = {
    stdout: result.stdout.toString(),
    stderr: result.stderr.toString(),
    exitCode: result.exitCode ?? 1,
  };
  return {
    ...outcome,
    passed: result.exitCode === 0 && step.checks.every((check) => evaluateCheck(check, outcome, (text) => text).passed),
  };
}

describe('okd-etcd-automated-backup', () => {
  it('has no default class for the dynamic claim, and checks the class provisions before the claim is made', () => {
    const storageClass = runbook().params.find((param) => param.name === 'storageClass');
    expect(storageClass?.default ?? null).toBeNull();
    const order = runbook().steps.map((step) => step.id);
    expect(order.indexOf('check-storage-class')).toBeLessThan(order.indexOf('create-dynamic-pvc'));
    expect(stepOf('create-dynamic-pvc').script).toContain('storageClassName: {{storageClass}}');
    expect(stepOf('create-dynamic-pvc').script).not.toContain('etcd-backup-local-storage');
  });

  it('refuses a class that provisions nothing, and an empty class, before any claim is made', async () => {
    const check = stepOf('check-storage-class');
    const values = { storageClass: 'efs-sc' };
    const wait = { phase: '', binding: 'WaitForFirstConsumer' };
    expect((await runAgainst(check, values, { ...wait, provisioner: 'efs.csi.aws.com' })).passed).toBe(true);
    expect((await runAgainst(check, values, { ...wait, provisioner: 'kubernetes.io/no-provisioner' })).passed).toBe(
      false,
    );
    const empty = await runAgainst(check, { storageClass: '' }, { ...wait, provisioner: 'efs.csi.aws.com' });
    expect(empty.passed).toBe(false);
    expect(empty.stderr).toContain('no storage class given');
  });

  it('accepts a Pending claim only when its class provisions volumes for the first pod', async () => {
    const check = stepOf('check-pvc');
    const values = { backupPvc: 'etcd-backup-pvc' };
    const cases: [ClaimState, boolean][] = [
      [{ phase: 'Bound', binding: 'Immediate', provisioner: 'efs.csi.aws.com' }, true],
      [{ phase: 'Pending', binding: 'WaitForFirstConsumer', provisioner: 'ebs.csi.aws.com' }, true],
      [{ phase: 'Pending', binding: 'WaitForFirstConsumer', provisioner: 'kubernetes.io/no-provisioner' }, false],
      [{ phase: 'Pending', binding: 'Immediate', provisioner: 'efs.csi.aws.com' }, false],
      [{ phase: 'Pending', binding: 'WaitForFirstConsumer', provisioner: '' }, false],
      [
        {
          phase: 'Bound',
          binding: 'Immediate',
          provisioner: 'efs.csi.aws.com',
          events: 'ProvisioningFailed: no capacity',
        },
        false,
      ],
    ];
    for (const [state, ready] of cases)
      expect((await runAgainst(check, values, state)).passed, JSON.stringify(state)).toBe(ready);
  });
});
