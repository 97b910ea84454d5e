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

export function groupExists(pgid: number): boolean {
  return signalGroup(pgid, 0);
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
