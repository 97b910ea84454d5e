import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandStepSpec, Manifest, RunbookSpec } from '../../../protocol/index.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../../helpers/fixtures.ts';

// Static checks for what the kubeadm runbooks got wrong and must not get wrong again (issue 13).
let manifest: Manifest;
beforeAll(async () => {
  manifest = (await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT)).manifest;
});

const KUBEADM = ['kubeadm-etcd-backup', 'kubeadm-etcd-restore', 'kubeadm-etcd-troubleshooting'];
const runbookOf = (slug: string) => manifest.runbooks.find((runbook) => runbook.slug === slug) as RunbookSpec;
const commandSteps = (slug: string) =>
  runbookOf(slug).steps.filter((step): step is CommandStepSpec => step.kind === 'command');

describe('the kubeadm runbooks', () => {
  it('run every step that reads or writes the node on the node, never on the operator machine', () => {
    for (const slug of KUBEADM)
      for (const step of commandSteps(slug))
        if (/sudo -n|crictl|etcdctl|etcdutl/.test(step.script) && !/kubectl exec/.test(step.script))
          expect(step.target, `${slug}/${step.id}`).toEqual(
            step.target.kind === 'pod'
              ? { kind: 'pod', pod: '{{etcdPod}}', namespace: 'kube-system' }
              : { kind: 'node', host: '{{nodeName}}' },
          );
  });

  it('take the in-pod snapshot in the etcd container itself, which has no shell', () => {
    const step = commandSteps('kubeadm-etcd-backup').find((item) => item.id === 'save-snapshot-in-pod');
    expect(step).toMatchObject({ shell: 'none', argv: expect.arrayContaining(['etcdctl', 'snapshot', 'save']) });
  });

  it("reach etcd on the member's advertised client URL, not on 127.0.0.1 (where it may not listen)", () => {
    for (const slug of KUBEADM)
      for (const step of commandSteps(slug))
        if (/--endpoints/.test(step.script)) {
          expect(step.script, `${slug}/${step.id}`).toContain('--endpoints={{clientUrl}}');
          expect(step.script, `${slug}/${step.id}`).not.toContain('127.0.0.1');
        }
  });

  it("never compare the live key count with the snapshot's totalKey (every kept version of every key)", () => {
    for (const slug of KUBEADM)
      for (const step of commandSteps(slug))
        for (const capture of step.captures)
          expect(JSON.stringify(capture), `${slug}/${step.id}`).not.toContain('totalKey');
  });

  it('restore no member before every member is stopped, and start none before every one is restored', () => {
    const order = runbookOf('kubeadm-etcd-restore').steps.map((step) => step.id);
    const at = (id: string) => {
      expect(order, id).toContain(id);
      return order.indexOf(id);
    };
    expect(at('wait-control-plane-stopped')).toBeLessThan(at('other-control-plane-nodes'));
    expect(at('other-control-plane-nodes')).toBeLessThan(at('check-other-members-stopped'));
    expect(at('check-other-members-stopped')).toBeLessThan(at('set-aside-old-data'));
    expect(at('move-restored-data')).toBeLessThan(at('other-nodes-restored'));
    expect(at('other-nodes-restored')).toBeLessThan(at('start-control-plane'));
    expect(at('start-control-plane')).toBeLessThan(at('other-control-plane-nodes-started'));
    expect(at('other-control-plane-nodes-started')).toBeLessThan(at('wait-control-plane-ready'));
  });

  it('delete practice data only once etcd has stopped', () => {
    const wipe = commandSteps('kubeadm-etcd-restore').find((step) => step.id === 'practice-wipe-data');
    const script = wipe?.script ?? '';
    expect(script.indexOf('crictl" ps')).toBeGreaterThan(-1);
    expect(script.indexOf('crictl" ps')).toBeLessThan(script.indexOf('rm -rf'));
  });

  it('write the two snapshot ways to different files, so running both keeps both', () => {
    const steps = commandSteps('kubeadm-etcd-backup');
    const nameOf = (id: string) => steps.find((step) => step.id === id)?.script.match(/^name="([^"]+)"$/m)?.[1];
    const pod = nameOf('copy-snapshot-from-node');
    const node = nameOf('save-snapshot-on-host');
    expect(pod).toMatch(/-pod\.db$/);
    expect(node).toMatch(/-node\.db$/);
    expect(pod).not.toBe(node);
    const verify = steps.find((step) => step.id === 'verify-snapshot')?.script ?? '';
    expect(verify).toContain('etcd-snapshot-{{backupStamp}}-node.db | etcd-snapshot-{{backupStamp}}-pod.db');
  });

  it('check the member is healthy before the snapshot, and fail the run if it is not', () => {
    const order = runbookOf('kubeadm-etcd-backup').steps.map((step) => step.id);
    const health = commandSteps('kubeadm-etcd-backup').find((step) => step.id === 'check-member-health');
    expect(health?.script).toMatch(/endpoint health \\\n\s+--endpoints=\{\{clientUrl\}\}/);
    expect(health?.checks.some((check) => check.advisory)).toBe(false);
    expect(health?.checks.map((check) => check.assert)).toContainEqual(
      expect.objectContaining({ kind: 'regex', pattern: 'is unhealthy', present: false }),
    );
    for (const snapshot of ['save-snapshot-in-pod', 'save-snapshot-on-host'])
      expect(order.indexOf('check-member-health')).toBeLessThan(order.indexOf(snapshot));
  });

  it('troubleshooting checks every member, not only the one it asks, and fails on any unhealthy one', () => {
    const step = commandSteps('kubeadm-etcd-troubleshooting').find((item) => item.id === 'check-etcd-health');
    const commands = (step?.script ?? '').replace(/\\\n/g, ' ');
    expect(commands).toMatch(/endpoint health --cluster 2>&1 \|\| failed=1/);
    expect(commands).toMatch(/endpoint status --cluster -w table 2>&1 \|\| failed=1/);
    expect(commands).toMatch(/if \[ "\$failed" -ne 0 \]; then .* exit 1; fi/);
    expect(step?.checks.some((check) => check.advisory)).toBe(false);
    expect(step?.checks.map((check) => check.assert)).toContainEqual(
      expect.objectContaining({ kind: 'regex', pattern: 'is unhealthy|Failed to get the status', present: false }),
    );
  });
});

describe('runbooks with node steps', () => {
  it('say that on the practice cluster a node step runs in the node shell, wherever they say SSH', async () => {
    const slugs = manifest.runbooks
      .filter((runbook) => runbook.steps.some((step) => step.kind === 'command' && step.target.kind === 'node'))
      .map((runbook) => runbook.slug);
    expect(slugs).toEqual(expect.arrayContaining(KUBEADM));
    for (const slug of slugs) {
      const text =
        (await readFile(path.join(ROOT, 'content/runbooks', `${slug}.mdx`), 'utf8')).split('\n---\n')[1] ?? '';
      const firstMention = text.slice(0, text.search(/<(Param|Step)\b/));
      if (!/\bSSH\b/.test(firstMention)) continue;
      expect(firstMention.replace(/\s+/g, ' '), slug).toMatch(
        /practice cluster[^.]*node shell|node shell[^.]*practice cluster/,
      );
    }
  });
});
