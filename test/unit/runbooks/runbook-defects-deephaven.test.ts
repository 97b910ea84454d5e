import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandStepSpec, Manifest, RunbookSpec } from '../../../protocol/index.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../../helpers/fixtures.ts';

// Static checks for what running the Deephaven runbooks end to end found (issue 13): each would
// mislead or stop an operator on a real cluster, and each can be told from the manifest.
const SLUGS = ['deephaven-etcd-backup', 'deephaven-etcd-restore', 'deephaven-etcd-repoint'];
let manifest: Manifest;
beforeAll(async () => {
  manifest = (await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT)).manifest;
});

const runbookOf = (slug: string) => manifest.runbooks.find((runbook) => runbook.slug === slug) as RunbookSpec;
const stepOf = (slug: string, id: string) => runbookOf(slug).steps.find((step) => step.id === id) as CommandStepSpec;
const commandSteps = () =>
  SLUGS.flatMap((slug) => runbookOf(slug).steps.flatMap((step) => (step.kind === 'command' ? [{ slug, step }] : [])));

describe('the Deephaven runbooks', () => {
  it('read `etcdctl endpoint health` where it reports (stderr), so "unhealthy" can fail a check', () => {
    const health = commandSteps().filter(({ step }) => /endpoint health/.test(step.script));
    expect(health.map(({ step }) => step.id).sort()).toEqual(['check-new-endpoint', 'check-new-etcd-health']);
    for (const { slug, step } of health) {
      const regexChecks = step.checks.flatMap(({ assert }) => (assert.kind === 'regex' ? [assert] : []));
      expect(regexChecks.length, `${slug}/${step.id}`).toBeGreaterThan(0);
      for (const check of regexChecks) expect(check.stream, `${slug}/${step.id}: /${check.pattern}/`).toBe('stderr');
    }
  });

  it('run what happens in a pod as a pod step in the captured pod, not through kubectl exec', () => {
    const inPod: Record<string, string[]> = {
      'deephaven-etcd-backup': ['list-dr-snapshots', 'save-manual-snapshot'],
      'deephaven-etcd-restore': [
        'find-export-folder',
        'create-snapshot-folder',
        'open-snapshot-folder',
        'check-new-etcd-health',
      ],
      'deephaven-etcd-repoint': ['check-new-endpoint'],
    };
    for (const [slug, ids] of Object.entries(inPod))
      for (const id of ids) {
        const { target, script } = stepOf(slug, id);
        expect(target.kind, `${slug}/${id}`).toBe('pod');
        if (target.kind === 'pod') {
          expect(target.pod, `${slug}/${id}`).toMatch(/^\{\{\w+\}\}$/);
          expect(target.namespace).toBe('{{namespace}}');
        }
        expect(script, `${slug}/${id}`).not.toMatch(/kubectl exec/);
      }
  });

  it("wait for the new release's etcd pods only, not its snapshot CronJob's, which are never ready", () => {
    const wait = stepOf('deephaven-etcd-restore', 'wait-new-etcd-ready');
    expect(wait.script).toMatch(
      /-l app\.kubernetes\.io\/component=etcd,app\.kubernetes\.io\/instance=\{\{newRelease\}\}/,
    );
  });

  it('keep the root password off command lines (etcdctl reads it from its environment)', () => {
    for (const { slug, step } of commandSteps()) {
      if (!step.script.includes('{{rootPassword}}')) continue;
      expect(step.script, `${slug}/${step.id}`).not.toMatch(/--user[= ]/);
      expect(step.script, `${slug}/${step.id}`).not.toMatch(/--set [^\n]*rootPassword=\{\{/);
    }
  });

  it('find the root-password Secret by its labels: it is <release>-etcd when the release name lacks "etcd"', () => {
    for (const [slug, id] of [
      ['deephaven-etcd-restore', 'read-original-password'],
      ['deephaven-etcd-repoint', 'read-new-root-password'],
    ] as const) {
      const { script } = stepOf(slug, id);
      expect(script, `${slug}/${id}`).toMatch(/-l app\.kubernetes\.io\/component=etcd,app\.kubernetes\.io\/instance=/);
    }
    expect(stepOf('deephaven-etcd-restore', 'check-new-etcd-health').target).toMatchObject({ pod: '{{newEtcdPod}}' });
  });

  it('take the chart package as an absolute path (a relative one would be looked up in the run folder)', () => {
    const chartFile = runbookOf('deephaven-etcd-restore').params.find((param) => param.name === 'chartFile');
    expect(chartFile?.pattern).toBe('^/.+');
    expect(chartFile?.default ?? null).toBeNull();
  });
});
