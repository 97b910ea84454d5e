import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';

export const MARKER_VARIABLE = 'DRILLBOOK_STEP_MARKER';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Clock ticks since boot; with the pid it names one process, even after the pid is reused. */
  startTime: string;
  zombie: boolean;
}

/** /proc/PID/stat is one line of well under 1 KiB; a whole table is read into this one buffer. */
const statBuffer = Buffer.alloc(4096);

// One process from /proc/PID/stat, or null when it is gone. One read into a shared buffer, as
// the end of every step reads the whole table (readFileSync costs twice the system calls).
export function readProcess(pid: number): ProcessEntry | null {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
    const length = readSync(fd, statBuffer, 0, statBuffer.length, 0);
    return parseStat(pid, statBuffer.toString('latin1', 0, length));
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// Every process visible in /proc, read at once.
export function readProcessTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcess(Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

export async function carriesMarker(pid: number, marker: string): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/environ`)).includes(markerNeedle(marker));
  } catch {
    // The process ended, or belongs to another user: either way it is not ours.
    return false;
  }
}

// Live processes whose environment carries a step's marker.
export async function findMarkedProcesses(marker: string, table = readProcessTable()): Promise<number[]> {
  const candidates = table.filter((entry) => !entry.zombie);
  const marked = await Promise.all(candidates.map((entry) => carriesMarker(entry.pid, marker)));
  return candidates.filter((_, index) => marked[index]).map((entry) => entry.pid);
}

// What a process's file descriptors point at, e.g. `socket:[1234]` for an output pipe.
export function readDescriptors(pid: number, fds: number[]): string[] {
  const targets: string[] = [];
  for (const fd of fds) {
    try {
      targets.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // Closed, or the process is gone.
    }
  }
  return targets;
}

// Live processes holding any of the given descriptor targets open.
export async function findHolders(targets: ReadonlySet<string>, table = readProcessTable()): Promise<number[]> {
  const candidates = table.filter((entry) => !entry.zombie);
  const holding = await Promise.all(candidates.map((entry) => holdsAny(entry.pid, targets)));
  return candidates.filter((_, index) => holding[index]).map((entry) => entry.pid);
}

async function holdsAny(pid: number, targets: ReadonlySet<string>): Promise<boolean> {
  try {
    for (const fd of await readdir(`/proc/${pid}/fd`)) {
      if (targets.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) return true;
    }
  } catch {
    // Gone, or not ours to inspect.
  }
  return false;
}

function markerNeedle(marker: string): Buffer {
  return Buffer.from(`${MARKER_VARIABLE}=${marker}\0`);
}

// pid (comm) state ppid pgrp session … starttime is field 22; comm may hold spaces and parentheses.
function parseStat(pid: number, stat: string): ProcessEntry {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    startTime: fields[19] ?? '',
    zombie: fields[0] === 'Z' || fields[0] === 'X',
  };
}
