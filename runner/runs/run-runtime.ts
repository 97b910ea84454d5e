import type { RunEvent, RunEventRecord } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { SecretMasker } from '../secrets/masker.ts';
import type { RunStore } from '../store/run-store.ts';
import { RequestLedger } from './request-ledger.ts';
import { applyRecord, type RunState } from './run-state.ts';

export type RecordListener = (record: RunEventRecord) => void;

export interface RunningStep {
  stepId: string;
  controller: AbortController;
  done: Promise<void>;
}

// One run in memory: its state, its event history, the secrets it knows (never persisted) and
// the masker built from them. Every change goes through `record`, which journals it first and
// only then applies it and tells subscribers; a change that could not be written never happened.
export class RunRuntime {
  state: RunState;
  readonly records: RunEventRecord[];
  readonly secrets = new Map<string, string>();
  /** Raw candidates of a secret capture waiting for the operator's choice. */
  readonly secretCandidates = new Map<string, string[]>();
  readonly masker = new SecretMasker();
  running: RunningStep | undefined;
  /** Answers to Run requests by idempotency key. */
  readonly runRequests = new RequestLedger<{ attempt: number }>();
  /** Set when the run's journal cannot take more events (it is damaged). */
  readOnlyReason: string | undefined;
  /** Recorded by another process in the same state folder; this one only shows it. */
  writtenElsewhere = false;
  /** The last write to the journal that failed, for the operator; cleared by the next good one. */
  writeFailure: string | undefined;
  readonly #listeners = new Set<RecordListener>();
  readonly #store: RunStore;
  #queue: Promise<unknown> = Promise.resolve();

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

  // Journals an event, then applies it and tells subscribers, one event at a time in the order
  // asked. Output chunks are not synced on their own; every other event is on disk before this
  // resolves. When the write fails, this rejects and the run is as it was before.
  record(event: RunEvent, options: { durable: boolean } = { durable: true }): Promise<RunEventRecord> {
    const recorded = this.#queue.then(() => this.#write(event, options));
    this.#queue = recorded.catch(() => undefined);
    return recorded;
  }

  async #write(event: RunEvent, options: { durable: boolean }): Promise<RunEventRecord> {
    if (this.readOnlyReason) throw new RunnerError('RUN_ENDED', this.readOnlyReason);
    const record: RunEventRecord = {
      seq: this.state.lastSeq + 1,
      at: new Date().toISOString(),
      runId: this.state.id,
      event,
    };
    try {
      await this.#store.append(record, options);
    } catch (error) {
      this.writeFailure = error instanceof Error ? error.message : String(error);
      throw error;
    }
    this.writeFailure = undefined;
    applyRecord(this.state, record);
    this.records.push(record);
    // Whoever hears that the step finished may start the next one at once.
    if (event.type === 'step-finished' && this.running?.stepId === event.stepId) this.running = undefined;
    for (const listener of this.#listeners) listener(record);
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
