import type { RunStore } from '../store/run-store.ts';
import { RunRuntime } from './run-runtime.ts';

/** What the service offers discovery: which runs it has, and a place for those it finds. */
export interface RunRegistry {
  has(runId: string): boolean;
  current(runId: string): RunRuntime | undefined;
  adopt(runtime: RunRuntime): void;
}

const WRITTEN_ELSEWHERE =
  'another process (drill run) records this run in the same state folder; it is shown as that process wrote it: restart the runner to go on with it here';

// Runs another process writes into the state folder while this runner is up (`npm run drill --
// run`): found when the runs are listed, shown read-only as far as their journal's whole lines
// go, and read again when the journal grew. A journal is only read, never repaired: its last
// line may be the other process's write under way. A run whose first line is not written yet is
// left for the next listing.
export class RunDiscovery {
  readonly #store: RunStore;
  readonly #registry: RunRegistry;
  readonly #watched = new Map<string, { runtime: RunRuntime; bytes: number }>();
  #scan: Promise<void> | undefined;

  constructor(store: RunStore, registry: RunRegistry) {
    this.#store = store;
    this.#registry = registry;
  }

  // One scan at a time: a listing that arrives during a scan waits for it.
  scan(): Promise<void> {
    this.#scan ??= this.#scanOnce().finally(() => {
      this.#scan = undefined;
    });
    return this.#scan;
  }

  async #scanOnce(): Promise<void> {
    for (const runId of await this.#store.listRuns()) {
      const watched = this.#watched.get(runId);
      if (watched && this.#registry.current(runId) !== watched.runtime) this.#watched.delete(runId);
      else if (watched) await this.#reread(runId, watched.bytes);
      else if (!this.#registry.has(runId)) await this.#reread(runId, 0);
    }
  }

  async #reread(runId: string, knownBytes: number): Promise<void> {
    if ((await this.#store.journalBytes(runId)) === knownBytes) return;
    const peeked = await this.#store.peek(runId);
    if (peeked.records[0]?.runId !== runId) return;
    const before = this.#watched.get(runId)?.runtime;
    if (this.#registry.current(runId) !== before) return;
    const runtime = new RunRuntime(this.#store, peeked.records);
    runtime.writtenElsewhere = true;
    runtime.readOnlyReason =
      peeked.damagedAt === null
        ? WRITTEN_ELSEWHERE
        : `the journal is damaged at line ${peeked.damagedAt}; the run is shown up to there`;
    this.#registry.adopt(runtime);
    this.#watched.set(runId, { runtime, bytes: peeked.bytes });
  }
}
