import type { Writable } from 'node:stream';
import type { RunEventRecord } from '../../protocol/index.ts';

export interface LoadedJournal {
  records: RunEventRecord[];
  /** A torn last line (a crash mid-write) was cut off. */
  repairedTail: boolean;
  /** A line before the end failed its checksum; the run holds the records before it. */
  damagedAt: number | null;
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
  /** Makes the run's folders and opens its new, empty journal for appending. */
  createRun(runId: string): Promise<RunPaths>;
  pathsOf(runId: string): RunPaths;
  /** Reads a recorded run's journal and, unless it is damaged, reopens it for appending. */
  load(runId: string): Promise<LoadedJournal>;
  /** Durable appends are on disk (fsync) when the promise resolves. */
  append(record: RunEventRecord, options: { durable: boolean }): Promise<void>;
  openStepLog(runId: string, fileName: string): Writable;
  close(): Promise<void>;
}
