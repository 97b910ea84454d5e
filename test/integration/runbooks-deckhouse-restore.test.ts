import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deckhouseNodes, installD8Shim } from '../helpers/deckhouse-practice.ts';
import { eventually } from '../helpers/practice-cluster.ts';
import { useFixtureCluster } from '../helpers/runbook-drill.ts';

// Deckhouse's single-master restore, headless on a one-master practice cluster loaded with the
// deckhouse fixture: a snapshot, objects deleted and created after it, the restore, what came back.
const practice = useFixtureCluster('runbooks-deckhouse-restore', 'deckhouse', { nodes: 1 });
const { onNode, etcdctlIn } = deckhouseNodes(practice);
const BACKUP = '/var/lib/etcd-backups/etcd-backup.snapshot';
const MULTI_MASTER_STEPS = [
  'enable-high-availability',
  'switch-to-single-master',
  'delete-removed-masters',
  'restart-nodes',
  'wait-deckhouse-queue',
  'switch-back-to-multi-master',
];

beforeAll(installD8Shim);

describe('deckhouse-etcd-restore, end to end on one master', () => {
  it('restores the snapshot on the master: deleted objects are back, later ones gone, the member healthy', async () => {
    const { cluster, runbookOk } = practice();
    await cluster.kubectlOk(['create', 'namespace', 'restore-me']);
    await cluster.kubectlOk(['-n', 'restore-me', 'create', 'configmap', 'kept', '--from-literal=color=blue']);
    await etcdctlIn('cp-1', ['snapshot', 'save', '/var/lib/etcd/restore-test.snapshot']);
    const moved = await onNode('cp-1', [
      'sh',
      '-c',
      `mkdir -p ${path.dirname(BACKUP)} && mv /var/lib/etcd/restore-test.snapshot ${BACKUP}`,
    ]);
    expect(moved.exitCode, moved.stderr).toBe(0);
    await cluster.kubectlOk(['delete', 'namespace', 'restore-me', '--wait=false']);
    await cluster.kubectlOk(['create', 'namespace', 'after-snapshot']);
    await eventually(async () => {
      expect((await cluster.kubectl(['get', 'namespace', 'restore-me'])).exitCode).not.toBe(0);
    }, 60_000);

    const record = path.join(cluster.stateDir, 'deckhouse-restore.json');
    const result = await runbookOk('deckhouse-etcd-restore', [
      '--param',
      'nodeName=cp-1',
      '--param',
      `backupFile=${BACKUP}`,
      '--yes',
      ...MULTI_MASTER_STEPS.flatMap((id) => ['--skip', `${id}=one master`]),
      '--record',
      record,
    ]);
    expect(result.stdout).toContain('is already');
    expect(result.stdout).toMatch(/restoring with \S+etcdctl \(no etcdutl here\)/);
    expect(result.stdout).toContain('check passed: etcd reports healthy');
    expect(result.stdout).toContain("check passed: etcd's revision is at least the backup's");
    const run = JSON.parse(await readFile(record, 'utf8')) as { summary: { outcome: string } };
    expect(run.summary.outcome).toBe('completed');

    await eventually(async () => {
      expect(
        await cluster.kubectlOk(['-n', 'restore-me', 'get', 'configmap', 'kept', '-o', 'jsonpath={.data.color}']),
      ).toBe('blue');
    }, 60_000);
    expect((await cluster.kubectl(['get', 'namespace', 'after-snapshot'])).exitCode).not.toBe(0);
    expect(await etcdctlIn('cp-1', ['member', 'list'])).toMatch(/^\w+, started, cp-1, /);
    const health = await cluster.etcdctl(['endpoint', 'health']);
    expect(health.exitCode, health.stderr).toBe(0);
    const kept = await onNode('cp-1', ['ls', '/var/lib/deckhouse-etcd-backup']);
    expect(kept.stdout).toContain('snap');
  }, 300_000);
});
