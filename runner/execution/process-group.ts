import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

export const MARKER_VARIABLE = 'DRILLBOOK_STEP_MARKER';

// Signals a whole process group; false when no process of the group is left.
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

// Live members of a process group. Zombies do not count: they run nothing, and an init that is
// slow to reap orphans (some container inits are) would otherwise make a dead group look alive.
export function liveGroupMembers(pgid: number): number[] {
  if (!signalGroup(pgid, 0)) return [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

export function groupExists(pgid: number): boolean {
  return liveGroupMembers(pgid).length > 0;
}

// SIGTERM to the group, then SIGKILL to whatever is left after the grace period.
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await delay(Math.min(25, graceMs));
    if (!groupExists(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (groupExists(pgid) && Date.now() < killDeadline) await delay(10);
}

// Processes whose environment carries a step's marker: this finds a step's processes even when
// its group was never recorded (a crash right after the spawn) or a process left the group.
export async function findProcessesByMarker(marker: string): Promise<number[]> {
  const needle = Buffer.from(`${MARKER_VARIABLE}=${marker}\0`);
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`);
      if (environ.includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended, or belongs to another user: either way it is not ours.
    }
  }
  return pids;
}

export async function killProcessesByMarker(marker: string): Promise<number> {
  const pids = await findProcessesByMarker(marker);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids.length;
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
