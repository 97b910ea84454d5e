import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessStat {
  state: string;
  processGroup: number;
  /** Clock ticks since boot: with the pid, it names one process even after the pid is reused. */
  startTime: string;
}

// One process's entry in /proc, or null when there is none.
export function readProcessStat(pid: number): ProcessStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp … starttime is field 22; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', processGroup: Number(fields[2]), startTime: fields[19] ?? '' };
  } catch {
    return null;
  }
}

// Live members of a process group; zombies run nothing and do not count.
export function processGroupMembers(processGroup: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcessStat(Number(entry));
    if (stat && stat.processGroup === processGroup && stat.state !== 'Z') members.push(Number(entry));
  }
  return members;
}

export function signalProcessGroup(processGroup: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-processGroup, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
