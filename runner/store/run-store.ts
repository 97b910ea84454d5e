import type { Writable } from 'node:stream';
import type { RunbookSpec, RunEventRecord } from '../../protocol/index.ts';

export interface LoadedJournal {
  records: RunEventRecord[];
  /** A torn last line (a crash mid-write) was cut off. */
  repairedTail: boolean;
  /** A line before the end failed its checksum; the run holds the records before it. */
  damagedAt: number | null;
}

/** A journal line as written: its hash and the event's exact JSON text, which the hash covers. */
export interface ChainedLine {
  hash: string;
  body: string;
}

export interface RunPaths {
  workdir: string;
  logDir: string;
  /** The run's own kubeconfig (mode 0600), pinned to its context; outside the workdir, so never an artifact. */
  kubeconfig: string;
}

// Where runs live. The embedded journal store is the default; a shared store (PostgreSQL) can
// implement the same interface later.
export interface RunStore {
  listRuns(): Promise<string[]>;
  /** Makes the run's folders, keeps the runbook version it follows, and opens its new, empty journal. */
  createRun(runId: string, runbook?: RunbookSpec): Promise<RunPaths>;
  /** The runbook version saved with the run; null for runs from before versions were saved. */
  readRunbookVersion(runId: string): Promise<RunbookSpec | null>;
  pathsOf(runId: string): RunPaths;
  /** Reads a recorded run's journal and, unless it is damaged, reopens it for appending. */
  load(runId: string): Promise<LoadedJournal>;
  /** The journal's valid lines as written, for a record that carries the hash chain. */
  readChain(runId: string): Promise<ChainedLine[]>;
  /** Durable appends are on disk (fsync) when the promise resolves. */
  append(record: RunEventRecord, options: { durable: boolean }): Promise<void>;
  openStepLog(runId: string, fileName: string): Writable;
  close(): Promise<void>;
}
