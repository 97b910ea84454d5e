import { setTimeout as delay } from 'node:timers/promises';
import {
  findHolders,
  findMarkedProcesses,
  type ProcessEntry,
  readDescriptors,
  readProcess,
  readProcessTable,
} from './process-table.ts';

const TRACK_EVERY_MS = 200;
const POLL_MS = 25;
const KILL_WAIT_MS = 2000;

// Every process a step started, however it tried to leave: a process is the step's when it
// carries the step's marker in its environment, holds the step's output pipes, was seen as one of
// the step's processes before (same pid and start time), descends from one, or shares a session
// or process group with one. Descendants are tracked while the step runs, so a child that
// scrubbed its environment and lost its parent is still known. The runner, its session and its
// group are never the step's. Out of reach: a process that scrubbed its environment, closed the
// output pipes and left its parent between two looks (TRACK_EVERY_MS).
export class StepProcesses {
  readonly #marker: string;
  readonly #known = new Map<number, string>();
  readonly #pipes: Set<string>;
  readonly #self: ProcessEntry | null = readProcess(process.pid);
  /** The leader's start time: a process born before it cannot carry the marker it was given. */
  readonly #bornSince: number;
  #tracker: NodeJS.Timeout | undefined;

  // `leader` is the step's bash, right after the spawn: it is the runner's own child, so its pid
  // is certainly the step's. Recovery passes none and relies on the marker alone.
  constructor(marker: string, leader?: number) {
    this.#marker = marker;
    const entry = leader === undefined ? null : readProcess(leader);
    if (entry) this.#known.set(entry.pid, entry.startTime);
    this.#bornSince = entry ? Number(entry.startTime) : 0;
    // Only a pipe, a socket or an unlinked FIFO (see output-pipes.ts) is the step's own; a file or
    // /dev/null would be shared with others.
    const outputs = entry ? readDescriptors(entry.pid, [1, 2]) : [];
    this.#pipes = new Set(outputs.filter((target) => /^(pipe|socket):\[\d+\]$|\(deleted\)$/.test(target)));
  }

  startTracking(): void {
    this.#tracker ??= setInterval(() => this.#expand(readProcessTable(), new Set()), TRACK_EVERY_MS);
    this.#tracker.unref();
  }

  stopTracking(): void {
    clearInterval(this.#tracker);
    this.#tracker = undefined;
  }

  // The step's live processes now; zombies run nothing and do not count. Once the output pipes
  // reached their end no process holds them, so nobody is looked for by them; the environment is
  // read only of processes born since the leader.
  async live(options: { pipesClosed?: boolean } = {}): Promise<number[]> {
    const table = readProcessTable();
    const young = table.filter((entry) => Number(entry.startTime) >= this.#bornSince);
    const [marked, holders] = await Promise.all([
      findMarkedProcesses(this.#marker, young),
      this.#pipes.size > 0 && !options.pipesClosed ? findHolders(this.#pipes, table) : [],
    ]);
    return this.#expand(table, new Set([...marked, ...holders]));
  }

  // SIGTERM to every process of the step, SIGKILL to whatever is left after the grace period,
  // then a wait (bounded) until none is left. Processes born meanwhile are found and signaled too.
  // True when none is left (nor any process holding the step's pipes); false when some could not
  // be ended (EPERM).
  async end(graceMs: number, options: { pipesClosed?: boolean } = {}): Promise<boolean> {
    const termDeadline = Date.now() + graceMs;
    const live = () => this.live(options);
    let pids = await live();
    const termed = new Set<number>();
    while (pids.length > 0 && Date.now() < termDeadline) {
      for (const pid of pids.filter((item) => !termed.has(item))) {
        signal(pid, 'SIGTERM');
        termed.add(pid);
      }
      await delay(Math.min(POLL_MS, graceMs));
      pids = await live();
    }
    const killDeadline = Date.now() + KILL_WAIT_MS;
    while (pids.length > 0 && Date.now() < killDeadline) {
      for (const pid of pids) signal(pid, 'SIGKILL');
      await delay(POLL_MS);
      pids = await live();
    }
    this.stopTracking();
    return pids.length === 0;
  }

  #expand(table: ProcessEntry[], marked: Set<number>): number[] {
    const alive = table.filter((entry) => !entry.zombie && !this.#isRunner(entry));
    const ours = new Set<number>();
    for (const entry of alive) {
      if (marked.has(entry.pid) || this.#known.get(entry.pid) === entry.startTime) ours.add(entry.pid);
    }
    for (let grew = true; grew; ) {
      grew = false;
      const sessions = new Set<number>();
      const groups = new Set<number>();
      for (const entry of alive) {
        if (!ours.has(entry.pid)) continue;
        sessions.add(entry.sid);
        groups.add(entry.pgid);
      }
      for (const entry of alive) {
        if (ours.has(entry.pid)) continue;
        if (ours.has(entry.ppid) || sessions.has(entry.sid) || groups.has(entry.pgid)) {
          ours.add(entry.pid);
          grew = true;
        }
      }
    }
    for (const entry of alive) if (ours.has(entry.pid)) this.#known.set(entry.pid, entry.startTime);
    return [...ours];
  }

  #isRunner(entry: ProcessEntry): boolean {
    const self = this.#self;
    if (entry.pid === process.pid || entry.pid <= 1) return true;
    return self !== null && (entry.sid === self.sid || entry.pgid === self.pgid);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already, or not ours to signal (EPERM): nothing more can be done for it.
  }
}
