import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { deckhouseNodes, installD8Shim } from '../helpers/deckhouse-practice.ts';
import { eventually } from '../helpers/practice-cluster.ts';
import { tempDir } from '../helpers/run-script.ts';
import { useFixtureCluster } from '../helpers/runbook-drill.ts';

// Deckhouse's runbooks, run headless on a three-master practice cluster loaded with the deckhouse
// fixture, in an order that keeps the cluster usable: read, back up, then rebuild from one master.
const practice = useFixtureCluster('runbooks-deckhouse', 'deckhouse', { nodes: 3 });
const { node, onNode, etcdctlIn } = deckhouseNodes(practice);

// `d8 k` is Deckhouse's kubectl; the practice cluster has no d8, so its `k` is provided here.
beforeAll(installD8Shim);

describe('the Deckhouse runbooks, end to end on the practice cluster', () => {
  it('deckhouse-etcd-members lists the three started members and the leader', async () => {
    const result = await practice().runbookOk('deckhouse-etcd-members', []);
    for (const member of ['cp-1', 'cp-2', 'cp-3'])
      expect(result.stdout).toMatch(new RegExp(`\\|\\s+\\w+\\s+\\|\\s+started\\s+\\|\\s+${member}\\s+\\|`));
    const leaders = result.stdout.match(/\|\s+true\s+\|\s+false\s+\|/g) ?? [];
    expect(leaders).toHaveLength(1);
    const status = await etcdctlIn('cp-1', ['member', 'list']);
    expect(status.split('\n').filter((line) => line.includes(', started, '))).toHaveLength(3);
  }, 120_000);

  it('deckhouse-etcd-backup checks the nightly archive and archives a fresh snapshot with /etc/kubernetes', async () => {
    const archive = path.join(node('cp-2').root, 'var/lib/etcd-manual-backup/kube-backup.tar.gz');
    const result = await practice().runbookOk('deckhouse-etcd-backup', [
      '--param',
      'nodeName=cp-2',
      '--skip',
      'd8-backup-etcd=no d8 on the practice cluster',
      '--ack',
      'store-encrypted-off-cluster=test',
    ]);
    expect(result.stdout).toContain('- d8-backup-etcd skipped');
    expect(result.stdout).toContain('Snapshot saved at /var/lib/etcd/etcd-cp-2.snapshot');
    const listing = (await execa('tar', ['-tzf', archive])).stdout.split('\n');
    expect(listing).toContain('./etcd-backup.snapshot');
    expect(listing).toContain('./kubernetes/manifests/etcd.yaml');
    expect(listing).toContain('./kubernetes/pki/etcd/ca.key');
    const leftovers = await onNode('cp-2', ['ls', '/var/lib/etcd', '/var/lib/etcd-manual-backup']);
    expect(leftovers.stdout).not.toMatch(/\.snapshot|kubernetes/);
    const unpacked = await tempDir('drillbook-deckhouse-backup-');
    await execa('tar', ['-xzf', archive, '-C', unpacked, './etcd-backup.snapshot']);
    const status = await execa('etcdctl', [
      'snapshot',
      'status',
      path.join(unpacked, 'etcd-backup.snapshot'),
      '-w',
      'json',
    ]);
    expect((JSON.parse(status.stdout) as { totalKey: number }).totalKey).toBeGreaterThan(100);
  }, 120_000);

  it('deckhouse-etcd-rebuild starts etcd again from one master with --force-new-cluster, data kept', async () => {
    const { cluster } = practice();
    await cluster.kubectlOk(['create', 'namespace', 'before-rebuild']);
    for (const member of ['cp-2', 'cp-3']) {
      const moved = await onNode(member, [
        'mv',
        '/etc/kubernetes/manifests/etcd.yaml',
        '/etc/kubernetes/etcd.yaml.stopped',
      ]);
      expect(moved.exitCode, moved.stderr).toBe(0);
    }
    const skipped = [
      'check-restart-loop',
      'read-member-identity',
      'install-etcdutl',
      'rebuild-data-with-etcdutl',
      'swap-data-folders',
      'find-stuck-containers',
      'remove-stuck-containers',
      'restart-master',
    ].flatMap((id) => ['--skip', `${id}=no restart loop`]);
    const result = await practice().runbookOk('deckhouse-etcd-rebuild', [
      '--param',
      'nodeName=cp-1',
      '--ack',
      'stop-etcd-elsewhere',
      '--yes',
      ...skipped,
    ]);
    expect(result.stdout).toContain('✔ wait-etcd-restarted succeeded');
    const manifest = await onNode('cp-1', ['cat', '/etc/kubernetes/manifests/etcd.yaml']);
    expect(manifest.stdout).toContain('- --name=cp-1');
    expect(manifest.stdout).not.toContain('--force-new-cluster');
    const members = await etcdctlIn('cp-1', ['member', 'list']);
    expect(members.trim().split('\n')).toHaveLength(1);
    expect(members).toContain(', started, cp-1, ');
    await eventually(async () => {
      expect(await cluster.kubectlOk(['get', 'namespace', 'before-rebuild', '-o', 'name'])).toBe(
        'namespace/before-rebuild',
      );
      await cluster.kubectlOk(['create', 'namespace', 'after-rebuild']);
    }, 60_000);
    expect(await cluster.kubectlOk(['get', 'deployment', '-n', 'infra-production', 'supercronic', '-o', 'name'])).toBe(
      'deployment.apps/supercronic',
    );
  }, 240_000);
});
