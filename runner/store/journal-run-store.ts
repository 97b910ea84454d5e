import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { type RunbookSpec, RunbookSpecSchema, type RunEventRecord } from '../../protocol/index.ts';
import { storageError } from '../errors.ts';
import { type JournalFile, type OpenJournalFile, openJournalFile } from './journal-file.ts';
import { encodeLine, GENESIS, readChainedLines } from './journal-line.ts';
import { parseJournal } from './parse-journal.ts';
import type { ChainedLine, LoadedJournal, PeekedJournal, RunPaths, RunStore } from './run-store.ts';
import { isWrittenElsewhere, releaseWriterLease, takeWriterLease } from './writer-lease.ts';

interface OpenJournal {
  file: JournalFile;
  lastHash: string;
  /** Bytes of whole, valid lines: where the next line starts. */
  size: number;
  /** A failed write may have left part of a line after `size` that could not be cut off yet. */
  torn: boolean;
  queue: Promise<void>;
  dirty: boolean;
}

const RUN_ID = /^[A-Za-z0-9-]+$/;

// JSONL journals, one per run, append-only. Every durable append is fsync'd before it resolves;
// output chunks are appended without a sync and become durable with the next state change. A
// line joins the hash chain only once it is written; a failed write is cut off again, so the
// journal stays valid and the next line follows the last good one.
export class JournalRunStore implements RunStore {
  readonly #root: string;
  readonly #open = new Map<string, OpenJournal>();
  readonly #openFile: OpenJournalFile;

  constructor(stateDir: string, options: { openFile?: OpenJournalFile } = {}) {
    this.#root = path.join(stateDir, 'runs');
    this.#openFile = options.openFile ?? openJournalFile;
  }

  async listRuns(): Promise<string[]> {
    await mkdir(this.#root, { recursive: true, mode: 0o700 });
    const entries = await readdir(this.#root, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && RUN_ID.test(entry.name)).map((entry) => entry.name);
  }

  pathsOf(runId: string): RunPaths {
    const base = this.#runDir(runId);
    return {
      workdir: path.join(base, 'workdir'),
      logDir: path.join(base, 'logs'),
      kubeconfig: path.join(base, 'kubeconfig'),
    };
  }

  async createRun(runId: string, runbook?: RunbookSpec): Promise<RunPaths> {
    const paths = this.pathsOf(runId);
    try {
      await mkdir(paths.workdir, { recursive: true, mode: 0o700 });
      await mkdir(paths.logDir, { recursive: true, mode: 0o700 });
      if (runbook) await writeFile(this.#runbookFile(runId), JSON.stringify(runbook), { mode: 0o600 });
    } catch (error) {
      throw storageError("the run's folder", error);
    }
    await this.#openForAppend(runId, GENESIS, 0);
    return paths;
  }

  async load(runId: string): Promise<LoadedJournal> {
    const file = this.#journalFile(runId);
    const parsed = parseJournal(await readJournalText(file));
    if (parsed.tornTail) await truncate(file, parsed.validBytes);
    if (parsed.damagedAt === null) await this.#openForAppend(runId, parsed.lastHash, parsed.validBytes);
    return { records: parsed.records, repairedTail: parsed.tornTail, damagedAt: parsed.damagedAt };
  }

  async peek(runId: string): Promise<PeekedJournal> {
    const text = await readJournalText(this.#journalFile(runId));
    const { records, damagedAt } = parseJournal(text);
    return { records, damagedAt, bytes: Buffer.byteLength(text) };
  }

  async journalBytes(runId: string): Promise<number> {
    return stat(this.#journalFile(runId)).then(
      (info) => info.size,
      () => 0,
    );
  }

  async readRunbookVersion(runId: string): Promise<RunbookSpec | null> {
    const text = await readFile(this.#runbookFile(runId), 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const parsed = RunbookSpecSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async readChain(runId: string): Promise<ChainedLine[]> {
    await this.#open.get(runId)?.queue;
    return readChainedLines(await readFile(this.#journalFile(runId), 'utf8'));
  }

  append(record: RunEventRecord, options: { durable: boolean }): Promise<void> {
    const journal = this.#open.get(record.runId);
    if (!journal) return Promise.reject(new Error(`journal of run ${record.runId} is not open for writing`));
    const write = journal.queue.then(() => this.#write(journal, record, options));
    journal.queue = write.catch(() => undefined);
    return write;
  }

  openStepLog(runId: string, fileName: string): Writable {
    return createWriteStream(path.join(this.pathsOf(runId).logDir, fileName), { flags: 'a', mode: 0o600 });
  }

  async close(): Promise<void> {
    for (const [runId, journal] of this.#open) {
      await journal.queue;
      if (journal.dirty) await journal.file.datasync().catch(() => undefined);
      await journal.file.close();
      await releaseWriterLease(this.#runDir(runId)).catch(() => undefined);
    }
    this.#open.clear();
  }

  isWrittenElsewhere(runId: string): Promise<boolean> {
    return isWrittenElsewhere(this.#runDir(runId));
  }

  async #write(journal: OpenJournal, record: RunEventRecord, options: { durable: boolean }): Promise<void> {
    if (journal.torn) {
      await journal.file.truncate(journal.size).catch((error: unknown) => {
        throw storageError("the run's journal", error);
      });
      journal.torn = false;
    }
    const { line, hash } = encodeLine(record, journal.lastHash);
    try {
      await journal.file.append(line);
      if (options.durable) await journal.file.datasync();
    } catch (error) {
      await journal.file.truncate(journal.size).catch(() => {
        journal.torn = true;
      });
      throw storageError("the run's journal", error);
    }
    journal.size += Buffer.byteLength(line);
    journal.lastHash = hash;
    journal.dirty = !options.durable;
  }

  async #openForAppend(runId: string, lastHash: string, size: number): Promise<void> {
    const existing = this.#open.get(runId);
    if (existing) {
      await existing.queue;
      Object.assign(existing, { lastHash, size, torn: false });
      return;
    }
    let file: JournalFile;
    try {
      await mkdir(this.#runDir(runId), { recursive: true, mode: 0o700 });
      file = await this.#openFile(this.#journalFile(runId));
      await takeWriterLease(this.#runDir(runId));
    } catch (error) {
      throw storageError("the run's journal", error);
    }
    this.#open.set(runId, { file, lastHash, size, torn: false, queue: Promise.resolve(), dirty: false });
  }

  #runDir(runId: string): string {
    if (!RUN_ID.test(runId)) throw new Error(`invalid run id ${JSON.stringify(runId)}`);
    return path.join(this.#root, runId);
  }

  #runbookFile(runId: string): string {
    return path.join(this.#runDir(runId), 'runbook.json');
  }

  #journalFile(runId: string): string {
    return path.join(this.#runDir(runId), 'journal.jsonl');
  }
}

function readJournalText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
}
