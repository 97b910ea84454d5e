import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandStepSpec, Manifest } from '../../../protocol/index.ts';
import { extractCapture } from '../../../runner/capture/extract-capture.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../../helpers/fixtures.ts';

// Static checks for the kinds of defect a review of the runbooks found (issue 13): each would
// break a real backup or restore, and each can be told from the step's text.
let manifest: Manifest;
beforeAll(async () => {
  manifest = (await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT)).manifest;
});

const commandSteps = () =>
  manifest.runbooks.flatMap((runbook) =>
    runbook.steps.flatMap((step) => (step.kind === 'command' ? [{ slug: runbook.slug, step }] : [])),
  );
const stepOf = (slug: string, id: string) =>
  manifest.runbooks.find((runbook) => runbook.slug === slug)?.steps.find((step) => step.id === id) as CommandStepSpec;
const order = (slug: string) =>
  manifest.runbooks.find((runbook) => runbook.slug === slug)?.steps.map((step) => step.id) ?? [];

/** Tools that live in /usr/bin or /bin, on sudo's secure_path everywhere. */
const SYSTEM_TOOLS = new Set([
  'cat',
  'ls',
  'mv',
  'cp',
  'rm',
  'rmdir',
  'mkdir',
  'tar',
  'chown',
  'chmod',
  'install',
  'test',
  'grep',
  'sed',
  'sha256sum',
  'tee',
  'true',
]);

describe('the runbooks avoid the defects the review found', () => {
  it('run nothing but system tools through sudo by bare name (secure_path leaves out /usr/local/bin)', () => {
    for (const { slug, step } of commandSteps()) {
      for (const match of step.script.matchAll(/sudo -n (?:env (?:[A-Z_]+=\S* )+)?("?\$?\{?[A-Za-z0-9_/.[\]@-]+)/g)) {
        const command = match[1] as string;
        const resolved = command.startsWith('"$') || command.startsWith('/');
        expect(resolved || SYSTEM_TOOLS.has(command), `${slug}/${step.id}: sudo -n ${command}`).toBe(true);
      }
    }
  });

  it('never rename a whole etcd data folder (it may be a mount point or a symlink): only member/ moves', () => {
    for (const { slug, step } of commandSteps()) {
      for (const line of step.script.split('\n')) {
        const move = /\bmv\s+(?:--\s+)?("[^"]*"|\S+)/.exec(line);
        if (!move) continue;
        const source = (move[1] as string).replace(/"/g, '');
        if (!/etcd|\{\{dataDir\}\}|\{\{restoreDir\}\}/.test(source) || /manifests|\.yaml|snapshot/.test(source))
          continue;
        expect(source, `${slug}/${step.id}: ${line.trim()}`).toMatch(/\/member\/?$/);
      }
    }
  });

  it('use etcdutl only with a way to do without it (etcd 3.4 has none)', () => {
    for (const { slug, step } of commandSteps()) {
      if (!/\b(?:etcdutl|\$etcdutl"?) snapshot/.test(step.script)) continue;
      expect(step.script, `${slug}/${step.id}`).toMatch(/command -v etcdutl/);
      expect(step.script, `${slug}/${step.id}`).toMatch(/\betcdctl\b/);
    }
  });

  it('accept no claim that stays Pending for want of a provisioner', () => {
    for (const { slug, step } of commandSteps()) {
      if (!/get pvc/.test(step.script)) continue;
      for (const { assert } of step.checks)
        if (assert.kind === 'regex' && assert.present)
          expect(new RegExp(assert.pattern, assert.flags).test('Pending'), `${slug}/${step.id}`).toBe(false);
    }
  });

  it('deephaven-etcd-restore mounts the NFS folder at /exports/dhsystem, whichever layout the NFS pod has', () => {
    const capture = stepOf('deephaven-etcd-restore', 'find-export-folder').captures.find(
      (item) => item.name === 'nfsVolumePath',
    );
    expect(capture).toBeDefined();
    for (const folder of ['/exports/exports/dhsystem', '/exports/dhsystem'])
      expect(
        extractCapture(capture as never, { stdout: `${folder}\n`, stderr: '', exitCode: 0 }, (text) => text),
      ).toMatchObject({
        kind: 'value',
        value: '/exports/dhsystem',
      });
  });

  it('deckhouse-etcd-restore checks the backup before deleting, and waits for etcd to stop first', () => {
    const steps = order('deckhouse-etcd-restore');
    const at = (id: string) => steps.indexOf(id);
    expect(at('check-backup-file')).toBeGreaterThan(-1);
    expect(at('check-backup-file')).toBeLessThan(at('stop-etcd'));
    expect(at('stop-etcd')).toBeLessThan(at('wait-etcd-stopped'));
    expect(at('wait-etcd-stopped')).toBeLessThan(at('copy-current-data'));
    expect(at('copy-current-data')).toBeLessThan(at('clear-member-folder'));
    const wait = stepOf('deckhouse-etcd-restore', 'wait-etcd-stopped');
    expect(wait.checks.some((check) => check.wait !== null)).toBe(true);
  });
});
