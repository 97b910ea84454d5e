import { findMarkedProcesses, readProcessTable } from './process-table.ts';

export { MARKER_VARIABLE } from './process-table.ts';

// Live members of a process group. Zombies do not count: they run nothing, and an init that is
// slow to reap orphans (some container inits are) would otherwise make a dead group look alive.
export function liveGroupMembers(pgid: number): number[] {
  return readProcessTable()
    .filter((entry) => entry.pgid === pgid && !entry.zombie)
    .map((entry) => entry.pid);
}

export function groupExists(pgid: number): boolean {
  return liveGroupMembers(pgid).length > 0;
}

// Live processes whose environment carries a step's marker, wherever they are in the process tree.
export function findProcessesByMarker(marker: string): Promise<number[]> {
  return findMarkedProcesses(marker);
}
