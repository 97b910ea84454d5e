import type { Writable } from 'node:stream';
import type { RunbookSpec, RunEventRecord } from '../../protocol/index.ts';

export interface LoadedJournal {
  records: RunEventRecord[];
  /** A torn last line (a crash mid-write) was cut off. */
  repairedTail: boolean;
  /** A line before the end failed its checksum; the run holds the records before it. */
  damagedAt: number | null;
}

/** A journal as another process is writing it: its whole lines, read without repairing or opening it. */
export interface PeekedJournal {
  records: RunEventRecord[];
  damagedAt: number | null;
  /** The file's size when read, to tell whether it has grown since. */
  bytes: number;
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
  /** Reads a journal another process may be writing: never repairs it, never opens it for appending. */
  peek(runId: string): Promise<PeekedJournal>;
  /** The journal file's size (0 when there is none), to tell cheaply whether it changed. */
  journalBytes(runId: string): Promise<number>;
  /** True while another live process has the run's journal open for writing (see writer-lease.ts). */
  isWrittenElsewhere(runId: string): Promise<boolean>;
  /** The journal's valid lines as written, for a record that carries the hash chain. */
  readChain(runId: string): Promise<ChainedLine[]>;
  /** Durable appends are on disk (fsync) when the promise resolves. */
  append(record: RunEventRecord, options: { durable: boolean }): Promise<void>;
  openStepLog(runId: string, fileName: string): Writable;
  close(): Promise<void>;
}
