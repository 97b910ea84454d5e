import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { PracticeError } from '../errors.ts';
import { isKubeletRunning, startKubelets } from '../kubelet/kubelet-daemons.ts';
import { kubeletFiles } from '../kubelet/kubelet-paths.ts';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import { readRunningDaemon } from '../process/daemon.ts';
import { readMemberStatuses } from './etcdctl.ts';
import { writeEtcdManifest } from './static-pod-manifest.ts';

// Puts each member's etcd.yaml in its node's manifests folder and makes sure each node's kubelet
// runs: the kubelet starts the member as the static pod etcd-<node>, as on a kubeadm node.
export async function startEtcdMembers(layout: PracticeLayout): Promise<void> {
  await Promise.all(
    layout.nodes.map(async (node) => {
      await mkdir(node.files.etcdDataDir, { recursive: true, mode: 0o700 });
      await writeEtcdManifest(layout, node);
    }),
  );
  await startKubelets(layout);
}

// Takes each etcd.yaml out of its manifests folder, as an operator does before a restore, and
// waits until the kubelet has stopped the member (startEtcdMembers puts the manifests back).
export async function stopEtcdMembers(layout: PracticeLayout, graceMs: number): Promise<void> {
  await inLeaderOrder(layout, async (node) => {
    await rm(node.files.etcdManifest, { force: true });
    await waitForMemberStopped(node, graceMs + 5000);
  });
}

// Followers first, all at once, then the leader. Stopped together, a leader hands its leadership
// to a member that is itself stopping and waits out etcd's request timeout (~7 s); stopped last,
// it has no peer left and skips the hand-over. A follower never hands anything over. Without a
// known leader, one member at a time, so each hand-over goes to a live member.
export async function inLeaderOrder(layout: PracticeLayout, stop: (node: NodeLayout) => Promise<void>): Promise<void> {
  const running = await Promise.all(layout.nodes.map((node) => readRunningDaemon(node.etcd.pidFile)));
  const leaderName = running.filter(Boolean).length > 1 ? await findLeaderName(layout) : null;
  if (leaderName === null) {
    for (const node of layout.nodes) await stop(node);
    return;
  }
  await Promise.all(layout.nodes.filter((node) => node.name !== leaderName).map(stop));
  await Promise.all(layout.nodes.filter((node) => node.name === leaderName).map(stop));
}

async function waitForMemberStopped(node: NodeLayout, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await readRunningDaemon(node.etcd.pidFile)) {
    if (Date.now() >= deadline) {
      throw new PracticeError(
        'STOP_FAILED',
        `etcd member ${node.name} still runs ${timeoutMs / 1000} s after its manifest was removed`,
      );
    }
    await delay(50);
  }
}

async function findLeaderName(layout: PracticeLayout): Promise<string | null> {
  const statuses = await readMemberStatuses(layout);
  return statuses.find((status) => status.leader)?.name ?? null;
}

// Waits until every member reports itself healthy on its metrics listener (a leader is known and
// a read through raft succeeds), which is cheaper than spawning etcdctl in a loop.
export async function waitForEtcdHealthy(layout: PracticeLayout, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const healthy = await Promise.all(layout.nodes.map(isMemberHealthy));
    if (healthy.every(Boolean)) return;
    const kubelets = await Promise.all(layout.nodes.map((node) => isKubeletRunning(layout, node)));
    const gone = layout.nodes.find((_node, index) => !kubelets[index]);
    if (gone) {
      throw new PracticeError(
        'START_TIMEOUT',
        `the kubelet of ${gone.name} exited; read ${kubeletFiles(layout, gone).logFile}`,
      );
    }
    if (Date.now() >= deadline) {
      const logs = layout.nodes.map((node) => node.etcd.logFile).join(', ');
      throw new PracticeError('START_TIMEOUT', `etcd was not healthy after ${timeoutMs / 1000} s; read ${logs}`);
    }
    await delay(100);
  }
}

// One request per connection: a kept-alive connection would hold up etcd's shutdown by a second.
export function isMemberHealthy(node: NodeLayout): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${node.etcd.metricsUrl}/health`, { agent: false, timeout: 1000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(response.statusCode === 200 && /"health":\s*"true"/.test(body)));
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
