import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readChartRepoUrl } from '../chart-repo/chart-repo.ts';
import { isApiServerReady } from '../control-plane/api-server.ts';
import { type MemberStatus, readMemberStatuses } from '../etcd/etcdctl.ts';
import type { PracticeLayout } from '../layout.ts';
import { readRunningDaemon } from '../process/daemon.ts';

export interface PracticeStatus {
  members: (MemberStatus & { pid: number | null })[];
  apiServer: { url: string; pid: number | null; ready: boolean };
  /** The chart repository's URL while it runs. */
  chartRepo: { url: string | null };
  /** The etcd data dirs of all members together. */
  dataBytes: number;
}

export async function readPracticeStatus(layout: PracticeLayout): Promise<PracticeStatus> {
  const [members, pids, apiServer, ready, sizes, chartRepoUrl] = await Promise.all([
    readMemberStatuses(layout),
    Promise.all(layout.nodes.map((node) => readRunningDaemon(node.etcd.pidFile))),
    readRunningDaemon(layout.apiServer.pidFile),
    isApiServerReady(layout),
    Promise.all(layout.nodes.map((node) => folderSize(node.files.etcdDataDir))),
    readChartRepoUrl(layout),
  ]);
  return {
    members: members.map((member, index) => ({ ...member, pid: pids[index]?.pid ?? null })),
    apiServer: { url: layout.apiServer.url, pid: apiServer?.pid ?? null, ready },
    dataBytes: sizes.reduce((sum, size) => sum + size, 0),
    chartRepo: { url: chartRepoUrl },
  };
}

export function formatPracticeStatus(status: PracticeStatus): string {
  const rows = status.members.map((member) => {
    const state = member.pid === null ? 'stopped' : member.healthy ? 'healthy' : `unhealthy: ${member.error}`;
    const role = member.leader ? ' (leader)' : '';
    return `  ${member.name}  ${member.endpoint}  ${state}${role}`;
  });
  const api = status.apiServer;
  const apiState = api.pid === null ? 'stopped' : api.ready ? 'ready' : 'not ready';
  return [
    'etcd members:',
    ...rows,
    `API server: ${api.url}  ${apiState}`,
    `chart repository: ${status.chartRepo.url ?? 'stopped'}`,
    `data: ${formatBytes(status.dataBytes)} on disk (WAL preallocated), etcd database ${databaseSize(status)}`,
  ].join('\n');
}

async function folderSize(folder: string): Promise<number> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  const sizes = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) =>
        stat(path.join(entry.parentPath, entry.name)).then(
          (info) => info.size,
          () => 0,
        ),
      ),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

function databaseSize(status: PracticeStatus): string {
  const sizes = status.members.flatMap((member) => (member.dbSizeBytes === null ? [] : [member.dbSizeBytes]));
  return sizes.length === 0 ? 'unknown (no member answers)' : formatBytes(Math.max(...sizes));
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
