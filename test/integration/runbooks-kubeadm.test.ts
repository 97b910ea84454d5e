import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { injectFault } from '../../practice/faults/inject-fault.ts';
import { fixtureContext } from '../../practice/fixtures/fixture-context.ts';
import { onNode } from '../../practice/layout.ts';
import type { ExportRecord } from '../../protocol/index.ts';
import { runIdOf } from '../helpers/drill-cli.ts';
import { type FixtureCluster, useFixtureCluster } from '../helpers/runbook-drill.ts';

const RESTORE = 'kubeadm-etcd-restore';
const SKIP_PRACTICE = ['--skip', 'practice-wipe-data=three nodes', '--skip', 'practice-confirm-down=three nodes'];
const SHOP_OBJECTS = [
  ['deployment', 'web'],
  ['configmap', 'web-config'],
  ['secret', 'web-credentials'],
] as const;

type ExportedRun = ExportRecord;

async function readRecord(file: string): Promise<ExportedRun> {
  return JSON.parse(await readFile(file, 'utf8')) as ExportedRun;
}

// A value's last recording (a value captured again replaces the earlier one).
function recordedValue(record: ExportedRun, name: string): string {
  const value = record.values.findLast((item) => item.name === name)?.value;
  if (typeof value !== 'string') throw new Error(`the record has no value for {{${name}}}`);
  return value;
}

// The backup runbook on a node, then the shop's objects deleted: what the restore must bring back.
async function backUpThenDelete(fixture: FixtureCluster, args: string[]): Promise<ExportedRun> {
  const { cluster, runbookOk } = fixture;
  const record = path.join(cluster.stateDir, 'backup.json');
  const backup = await runbookOk('kubeadm-etcd-backup', [
    ...args,
    '--param',
    'backupLocation=practice',
    '--record',
    record,
  ]);
  expect(backup.stdout).toContain('Run completed.');
  for (const [kind, name] of SHOP_OBJECTS) await cluster.kubectlOk(['-n', 'shop', 'delete', kind, name]);
  const gone = await cluster.kubectl(['-n', 'shop', 'get', 'configmap', 'web-config']);
  expect(gone.exitCode).not.toBe(0);
  return readRecord(record);
}

/** The shop's objects are back and every member is healthy; the old data set aside, unless the practice step deleted it. */
async function expectRestored(fixture: FixtureCluster, members: number, oldDataKept: boolean): Promise<void> {
  const { cluster } = fixture;
  for (const [kind, name] of SHOP_OBJECTS)
    expect(await cluster.kubectlOk(['-n', 'shop', 'get', kind, name, '-o', 'name'])).toContain(name);
  const health = await cluster.etcdctl(['endpoint', 'health']);
  expect(health.exitCode, health.stderr).toBe(0);
  const list = await cluster.etcdctl(['member', 'list', '-w', 'json']);
  const names = (JSON.parse(list.stdout) as { members: { name: string }[] }).members.map((member) => member.name);
  expect(names.sort()).toEqual(cluster.layout.nodes.map((node) => node.name).slice(0, members));
  for (const node of cluster.layout.nodes) {
    const kept = await readdir(onNode(node.root, '/var/lib/etcd'));
    expect(kept.some((entry) => entry.startsWith('member.before-restore-'))).toBe(oldDataKept);
    expect(kept).toContain('member');
  }
}

describe('the kubeadm runbooks on one control-plane node', () => {
  const fixture = useFixtureCluster('kubeadm-one', 'kubeadm', { nodes: 1 });

  it('back up, delete objects, restore (etcdutl when installed): the objects are back, the member healthy', async () => {
    const backup = await backUpThenDelete(fixture(), ['--yes']);
    const snapshotPath = recordedValue(backup, 'snapshotPath');
    expect(snapshotPath).toMatch(/^\/var\/lib\/etcd-backup\/etcd-snapshot-[0-9_-]+-pod\.db$/);
    expect(recordedValue(backup, 'snapshotSha256')).toMatch(/^[0-9a-f]{64}$/);
    // Both ways ran, usually within the same second: each left its own file.
    const stamp = recordedValue(backup, 'backupStamp');
    const kept = await readdir(onNode(fixture().cluster.layout.nodes[0]?.root as string, '/var/lib/etcd-backup'));
    expect(kept.filter((file) => file.startsWith(`etcd-snapshot-${stamp}`)).sort()).toEqual([
      `etcd-snapshot-${stamp}-node.db`,
      `etcd-snapshot-${stamp}-pod.db`,
    ]);
    expect(recordedValue(backup, 'podSnapshotPath')).toBe(snapshotPath);
    expect(recordedValue(backup, 'nodeSnapshotPath')).toBe(`/var/lib/etcd-backup/etcd-snapshot-${stamp}-node.db`);
    // etcd 3.5 and later restore with etcdutl, which takes etcdctl 3.4's offline commands and flags.
    const shims = path.join(fixture().cluster.stateDir, 'etcd-3.5-tools');
    await mkdir(shims, { recursive: true });
    await writeFile(path.join(shims, 'etcdutl'), '#!/bin/sh\nexec /usr/bin/etcdctl "$@"\n');
    await chmod(path.join(shims, 'etcdutl'), 0o755);
    const withoutShims = process.env.PATH;
    process.env.PATH = `${shims}:${withoutShims}`;
    try {
      const record = path.join(fixture().cluster.stateDir, 'restore.json');
      const restore = await fixture().runbookOk(RESTORE, [
        '--param',
        'nodeName=cp-1',
        '--param',
        `snapshotPath=${snapshotPath}`,
        '--ack',
        'other-control-plane-nodes',
        '--ack',
        'other-nodes-restored',
        '--ack',
        'other-control-plane-nodes-started',
        '--yes',
        '--record',
        record,
      ]);
      expect(restore.stdout).toContain(`restoring with ${shims}/etcdutl`);
      expect(restore.stdout).toContain("etcd's data is gone");
      expect(restore.stdout).toContain('the API server is down, as expected');
      expect((await readRecord(record)).summary.outcome).toBe('completed');
    } finally {
      process.env.PATH = withoutShims;
    }
    await expectRestored(fixture(), 1, false);
  }, 300_000);

  it("troubleshooting: the read-only steps run and read this member's settings", async () => {
    const record = path.join(fixture().cluster.stateDir, 'troubleshooting.json');
    await fixture().runbookOk('kubeadm-etcd-troubleshooting', [
      '--param',
      'nodeName=cp-1',
      '--skip',
      'install-etcdctl=etcdctl is installed',
      '--skip',
      'fix-certificate-permissions=the permissions are right',
      '--ack',
      'choose-another-snapshot',
      '--ack',
      'multi-node-checklist',
      '--record',
      record,
    ]);
    const run = await readRecord(record);
    const node = fixture().cluster.layout.nodes[0];
    expect(recordedValue(run, 'clientUrl')).toBe(node?.etcd.clientUrl);
    expect(recordedValue(run, 'caFile')).toBe('/etc/kubernetes/pki/etcd/ca.crt');
    expect(recordedValue(run, 'keyFile')).toBe('/etc/kubernetes/pki/etcd/server.key');
    expect(recordedValue(run, 'etcdContainer')).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(recordedValue(run, 'memberRevision'))).toBeGreaterThan(1);
  }, 180_000);
});

describe('the kubeadm restore on three control-plane nodes', () => {
  const fixture = useFixtureCluster('kubeadm-three', 'kubeadm', { nodes: 3 });

  it('restores every member from one snapshot, round by round: the objects are back, every member healthy', async () => {
    const { cluster, runbook } = fixture();
    const backup = await backUpThenDelete(fixture(), ['--choose', 'nodeName=cp-1', '--yes']);
    const snapshotPath = recordedValue(backup, 'snapshotPath');
    const [first, ...others] = cluster.layout.nodes;
    for (const node of others) {
      await mkdir(path.dirname(onNode(node.root, snapshotPath)), { recursive: true });
      await copyFile(onNode(first?.root as string, snapshotPath), onNode(node.root, snapshotPath));
    }
    // Each round runs on every node before the next starts; a run stops at the manual step that
    // ends its round and is resumed with that step acknowledged.
    const pausesAt = async (stepId: string, args: string[]): Promise<string> => {
      const result = await runbook(RESTORE, args);
      expect(result.code, `${result.stdout.slice(-4000)}\n${result.stderr}`).toBe(1);
      expect(result.stderr).toContain(`step "${stepId}"`);
      return runIdOf(result.stdout);
    };
    const runs: string[] = [];
    for (const node of cluster.layout.nodes) {
      const params = ['--param', `nodeName=${node.name}`, '--param', `snapshotPath=${snapshotPath}`];
      runs.push(await pausesAt('other-control-plane-nodes', [...params, ...SKIP_PRACTICE, '--yes']));
    }
    for (const run of runs)
      await pausesAt('other-nodes-restored', ['--resume', run, '--ack', 'other-control-plane-nodes', '--yes']);
    for (const run of runs)
      await pausesAt('other-control-plane-nodes-started', ['--resume', run, '--ack', 'other-nodes-restored']);
    for (const run of runs) {
      const finished = await fixture().runbookOk(RESTORE, [
        '--resume',
        run,
        '--ack',
        'other-control-plane-nodes-started',
      ]);
      expect(finished.stdout).toContain('Run completed.');
      expect(finished.stdout).toContain('check passed: no member is unhealthy');
    }
    await expectRestored(fixture(), 3, true);
  }, 600_000);

  // Last in this cluster's life: the member stays broken.
  it('a dead member: the backup refuses to snapshot it, troubleshooting names it and fails', async () => {
    const { cluster, runbook } = fixture();
    const dead = cluster.layout.nodes[2];
    if (!dead) throw new Error('no third node');
    await injectFault(
      await fixtureContext(cluster.layout),
      { kind: 'corrupt-member-data', node: 'cp-3' },
      cluster.stateDir,
    );
    const before = new Set(await readdir(onNode(dead.root, '/var/lib/etcd-backup')).catch(() => []));

    const backup = await runbook('kubeadm-etcd-backup', [
      '--choose',
      'nodeName=cp-3',
      '--param',
      'backupLocation=practice',
      '--yes',
    ]);
    expect(backup.code, `${backup.stdout.slice(-4000)}\n${backup.stderr}`).toBe(1);
    expect(backup.stderr).toContain('step "check-member-health"');
    expect(backup.stdout).not.toContain('Snapshot saved at');
    const after = await readdir(onNode(dead.root, '/var/lib/etcd-backup')).catch(() => []);
    expect(after.filter((file) => !before.has(file))).toEqual([]);

    const troubleshooting = await runbook('kubeadm-etcd-troubleshooting', [
      '--param',
      'nodeName=cp-1',
      '--skip',
      'install-etcdctl=etcdctl is installed',
      '--skip',
      'fix-certificate-permissions=the permissions are right',
      '--ack',
      'choose-another-snapshot',
      '--ack',
      'multi-node-checklist',
    ]);
    expect(troubleshooting.code, `${troubleshooting.stdout.slice(-4000)}\n${troubleshooting.stderr}`).toBe(1);
    expect(troubleshooting.stderr).toContain('step "check-etcd-health"');
    expect(troubleshooting.stdout).toContain(`${dead.etcd.clientUrl} is unhealthy`);
    expect(troubleshooting.stdout).toContain(`Failed to get the status of endpoint ${dead.etcd.clientUrl}`);
    for (const node of cluster.layout.nodes.slice(0, 2))
      expect(troubleshooting.stdout).toContain(`${node.etcd.clientUrl} is healthy`);
  }, 300_000);
});
