import { open, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PracticeError } from '../errors.ts';
import { writeEtcdManifest } from '../etcd/static-pod-manifest.ts';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import { readRunningDaemon } from '../process/daemon.ts';

const STOP_TIMEOUT_MS = 15_000;

// Stops a member the way an operator does (its manifest leaves the manifests folder), breaks its
// data with `damage`, and puts the manifest back so the kubelet starts it on the broken data.
export async function breakMember(
  layout: PracticeLayout,
  node: NodeLayout,
  damage: (dataDir: string) => Promise<void>,
): Promise<void> {
  await rm(node.files.etcdManifest, { force: true });
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (await readRunningDaemon(node.etcd.pidFile)) {
    if (Date.now() > deadline) throw new PracticeError('FAULT_FAILED', `etcd member ${node.name} did not stop`);
    await delay(50);
  }
  await damage(node.files.etcdDataDir);
  await writeEtcdManifest(layout, node);
}

// The member's data folder is gone: it starts empty and cannot rejoin the cluster it left.
export async function deleteMemberData(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, 'member'), { recursive: true, force: true });
}

// Every write-ahead log segment is overwritten with garbage from its start: the member crash-loops
// on "wal: crc mismatch" / "decoder" errors each time the kubelet restarts it.
export async function corruptMemberWal(dataDir: string): Promise<void> {
  const walDir = path.join(dataDir, 'member', 'wal');
  const segments = (await readdir(walDir)).filter((name) => name.endsWith('.wal'));
  if (segments.length === 0) throw new PracticeError('FAULT_FAILED', `no WAL segment in ${walDir}`);
  for (const segment of segments) {
    const file = await open(path.join(walDir, segment), 'r+');
    try {
      await file.write(Buffer.alloc(64 * 1024, 0xa5), 0, 64 * 1024, 0);
    } finally {
      await file.close();
    }
  }
}
