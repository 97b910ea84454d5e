import type { RunEvent, RunEventRecord } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { SecretMasker } from '../secrets/masker.ts';
import type { RunStore } from '../store/run-store.ts';
import { applyRecord, type RunState } from './run-state.ts';

export type RecordListener = (record: RunEventRecord) => void;

interface RunningStep {
  stepId: string;
  controller: AbortController;
  done: Promise<void>;
}

// One run in memory: its state, its event history, the secrets it knows (never persisted) and
// the masker built from them. Every change goes through `record`, which journals it first.
export class RunRuntime {
  state: RunState;
  readonly records: RunEventRecord[];
  readonly secrets = new Map<string, string>();
  /** Raw candidates of a secret capture waiting for the operator's choice. */
  readonly secretCandidates = new Map<string, string[]>();
  readonly masker = new SecretMasker();
  running: RunningStep | undefined;
  /** Set when the run's journal cannot take more events (it is damaged). */
  readOnlyReason: string | undefined;
  readonly #listeners = new Set<RecordListener>();
  readonly #store: RunStore;

  constructor(store: RunStore, records: RunEventRecord[]) {
    this.#store = store;
    this.records = [];
    let state: RunState | undefined;
    for (const record of records) {
      state = applyRecord(state, record);
      this.records.push(record);
    }
    if (!state) throw new Error('a run needs its run-created event');
    this.state = state;
  }

  static async create(store: RunStore, runId: string, event: Extract<RunEvent, { type: 'run-created' }>, at: string) {
    const record: RunEventRecord = { seq: 1, at, runId, event };
    await store.append(record, { durable: true });
    return new RunRuntime(store, [record]);
  }

  get id(): string {
    return this.state.id;
  }

  // Journals an event, then applies it and tells subscribers. Output chunks are not synced on
  // their own; every other event is on disk before this resolves.
  async record(event: RunEvent, options: { durable: boolean } = { durable: true }): Promise<RunEventRecord> {
    if (this.readOnlyReason) throw new RunnerError('RUN_ENDED', this.readOnlyReason);
    const record: RunEventRecord = {
      seq: this.state.lastSeq + 1,
      at: new Date().toISOString(),
      runId: this.state.id,
      event,
    };
    applyRecord(this.state, record);
    this.records.push(record);
    // Whoever hears that the step finished may start the next one at once.
    if (event.type === 'step-finished' && this.running?.stepId === event.stepId) this.running = undefined;
    const written = this.#store.append(record, options);
    for (const listener of this.#listeners) listener(record);
    await written;
    return record;
  }

  subscribe(listener: RecordListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  registerSecret(name: string, value: string): void {
    this.secrets.set(name, value);
    this.masker.register(value);
  }

  value(name: string): string | undefined {
    return this.secrets.get(name) ?? this.state.values.get(name)?.value;
  }

  isKnown(name: string): boolean {
    return this.value(name) !== undefined;
  }

  missing(references: readonly string[]): string[] {
    return references.filter((name) => !this.isKnown(name));
  }
}
