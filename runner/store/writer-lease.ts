import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readProcess } from '../execution/process-table.ts';

const LEASE_FILE = 'writer';

// Which process writes a run's journal: its pid and start time, in the run's folder while it has
// the journal open. Another runner starting on the same state folder (`npm start` while
// `npm run drill -- run` is under way) then leaves that run alone instead of repairing its last
// line and ending its step. A lease whose process is gone (kill -9, a reboot) counts for nothing:
// the start time tells a reused pid apart.
export async function takeWriterLease(runDir: string): Promise<void> {
  const self = readProcess(process.pid);
  await writeFile(path.join(runDir, LEASE_FILE), `${process.pid} ${self?.startTime ?? ''}\n`, { mode: 0o600 });
}

export async function releaseWriterLease(runDir: string): Promise<void> {
  const holder = await readLease(runDir);
  if (holder?.pid === process.pid) await rm(path.join(runDir, LEASE_FILE), { force: true });
}

// True when a live process other than this one holds the run's journal open.
export async function isWrittenElsewhere(runDir: string): Promise<boolean> {
  const holder = await readLease(runDir);
  if (!holder || holder.pid === process.pid) return false;
  const running = readProcess(holder.pid);
  return running !== null && !running.zombie && running.startTime === holder.startTime;
}

async function readLease(runDir: string): Promise<{ pid: number; startTime: string } | null> {
  const text = await readFile(path.join(runDir, LEASE_FILE), 'utf8').catch(() => null);
  const match = text?.match(/^(\d+) (\d+)\n$/);
  return match ? { pid: Number(match[1]), startTime: match[2] as string } : null;
}
