import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { practiceDown, practiceReset, practiceUp } from '../../practice/cluster/lifecycle.ts';
import { formatPracticeStatus, readPracticeStatus } from '../../practice/cluster/status.ts';
import { runEtcdctl } from '../../practice/etcd/etcdctl.ts';
import { practiceLayout } from '../../practice/layout.ts';
import { readRunningDaemon } from '../../practice/process/daemon.ts';
import { eventually, usePracticeCluster } from '../helpers/practice-cluster.ts';

// `practice up --nodes 1`: one control-plane node with one etcd member, for fast tests and the
// single-node kubeadm runbooks; the count is recorded and honoured by every later command.
const practice = usePracticeCluster('single-node', { nodes: 1 });

describe('a single-node practice cluster', () => {
  it('has one Node, one etcd member and its static pod, and runs workloads', async () => {
    expect(await practice().kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).toBe('cp-1');
    const status = await readPracticeStatus(practiceLayout(practice().stateDir));
    expect(status.members.map((member) => [member.name, member.healthy])).toEqual([['cp-1', true]]);
    expect(formatPracticeStatus(status)).not.toContain('cp-2');
    await practice().kubectlOk(['run', 'solo', '--image=busybox:1.36', '--restart=Never', '--', 'sleep', '600']);
    await eventually(async () => {
      const phase = await practice().kubectlOk(['get', 'pod', 'solo', '-o', 'jsonpath={.status.phase}']);
      if (phase !== 'Running') throw new Error(`pod solo is ${phase}`);
    }, 30_000);
    expect(await readFile(`${practice().layout.root}/cluster.json`, 'utf8')).toBe('{"nodes":1}\n');
  });

  it('keeps its count: up with the other count is refused, reset --nodes 3 replaces it', async () => {
    const { stateDir } = practice();
    await expect(practiceUp(practiceLayout(stateDir, 3), { env: process.env })).rejects.toThrow('reset --nodes 3');
    const three = practiceLayout(stateDir, 3);
    await practiceReset(three, { env: process.env, timeoutMs: 45_000 });
    const [first] = three.nodes;
    if (!first) throw new Error('no cp-1');
    const members = await runEtcdctl(first, [first.etcd.clientUrl], ['member', 'list']);
    expect(
      members.stdout
        .split('\n')
        .map((line) => line.split(', ')[2])
        .sort(),
    ).toEqual(['cp-1', 'cp-2', 'cp-3']);
    await practiceDown(practiceLayout(stateDir));
    const pids = await Promise.all(three.nodes.map((node) => readRunningDaemon(node.etcd.pidFile)));
    expect(pids.every((pid) => pid === null)).toBe(true);
  }, 90_000);
});
