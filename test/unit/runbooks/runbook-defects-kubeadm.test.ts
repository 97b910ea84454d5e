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
});
