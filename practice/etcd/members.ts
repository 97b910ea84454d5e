import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { PracticeError } from '../errors.ts';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import { readRunningDaemon, startDaemon, stopDaemon } from '../process/daemon.ts';
import { readMemberStatuses } from './etcdctl.ts';
import { etcdMemberCommand, hostCommand } from './member-command.ts';
import { writeEtcdManifest } from './static-pod-manifest.ts';

// Starts every member that is not running, from the command its static-pod manifest describes.
export async function startEtcdMembers(layout: PracticeLayout): Promise<void> {
  await Promise.all(
    layout.nodes.map(async (node) => {
      await writeEtcdManifest(layout, node);
      if (await readRunningDaemon(node.etcd.pidFile)) return;
      await mkdir(node.files.etcdDataDir, { recursive: true, mode: 0o700 });
      const { file, args } = hostCommand(node, etcdMemberCommand(layout, node));
      await startDaemon({ file, args, files: node.etcd, cwd: node.root });
    }),
  );
}

// Followers first, all at once, then the leader. Stopped together, a leader hands its leadership
// to a member that is itself stopping and waits out etcd's request timeout (~7 s); stopped last,
// it has no peer left and skips the hand-over. A follower never hands anything over. Without a
// known leader, one member at a time, so each hand-over goes to a live member.
export async function stopEtcdMembers(layout: PracticeLayout, graceMs: number): Promise<void> {
  const running = await Promise.all(layout.nodes.map((node) => readRunningDaemon(node.etcd.pidFile)));
  const leaderName = running.filter(Boolean).length > 1 ? await findLeaderName(layout) : null;
  const stop = (node: NodeLayout) => stopDaemon(node.etcd.pidFile, graceMs);
  if (leaderName === null) {
    for (const node of layout.nodes) await stop(node);
    return;
  }
  await Promise.all(layout.nodes.filter((node) => node.name !== leaderName).map(stop));
  await Promise.all(layout.nodes.filter((node) => node.name === leaderName).map(stop));
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
    const stopped = await Promise.all(layout.nodes.map((node) => readRunningDaemon(node.etcd.pidFile)));
    const gone = layout.nodes.find((_node, index) => stopped[index] === null);
    if (gone) {
      throw new PracticeError('START_TIMEOUT', `etcd member ${gone.name} exited; read ${gone.etcd.logFile}`);
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
