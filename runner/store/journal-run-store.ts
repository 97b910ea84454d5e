import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { RunEventRecord } from '../../protocol/index.ts';
import { decodeLine, encodeLine, GENESIS } from './journal-line.ts';
import type { LoadedJournal, RunPaths, RunStore } from './run-store.ts';

interface OpenJournal {
  handle: FileHandle;
  lastHash: string;
  queue: Promise<void>;
  dirty: boolean;
}

const RUN_ID = /^[A-Za-z0-9-]+$/;

// JSONL journals, one per run, append-only. Every durable append is fsync'd before it resolves;
// output chunks are appended without a sync and become durable with the next state change.
export class JournalRunStore implements RunStore {
  readonly #root: string;
  readonly #open = new Map<string, OpenJournal>();

  constructor(stateDir: string) {
    this.#root = path.join(stateDir, 'runs');
  }

  async listRuns(): Promise<string[]> {
    await mkdir(this.#root, { recursive: true, mode: 0o700 });
    const entries = await readdir(this.#root, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && RUN_ID.test(entry.name)).map((entry) => entry.name);
  }

  pathsOf(runId: string): RunPaths {
    const base = this.#runDir(runId);
    return { workdir: path.join(base, 'workdir'), logDir: path.join(base, 'logs') };
  }

  async createRun(runId: string): Promise<RunPaths> {
    const paths = this.pathsOf(runId);
    await mkdir(paths.workdir, { recursive: true, mode: 0o700 });
    await mkdir(paths.logDir, { recursive: true, mode: 0o700 });
    return paths;
  }

  async load(runId: string): Promise<LoadedJournal> {
    const file = this.#journalFile(runId);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const records: RunEventRecord[] = [];
    let previous = GENESIS;
    let offset = 0;
    let repairedTail = false;
    let damagedAt: number | null = null;
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index] as string;
      const isLast = index === lines.length - 1;
      if (isLast && line === '') break;
      const decoded = isLast ? ({ ok: false, reason: 'no newline' } as const) : decodeLine(line, previous);
      if (!decoded.ok) {
        const onlyBlankAfter = lines.slice(index + 1).every((rest) => rest === '');
        if (onlyBlankAfter) {
          await truncate(file, offset);
          repairedTail = true;
        } else {
          damagedAt = index + 1;
        }
        break;
      }
      records.push(decoded.record);
      previous = decoded.hash;
      offset += Buffer.byteLength(line) + 1;
    }
    if (damagedAt === null) this.#open.set(runId, { ...(await this.#openHandle(runId)), lastHash: previous });
    return { records, repairedTail, damagedAt };
  }

  append(record: RunEventRecord, options: { durable: boolean }): Promise<void> {
    const journal = this.#open.get(record.runId);
    if (!journal) return Promise.reject(new Error(`journal of run ${record.runId} is not open for writing`));
    const { line, hash } = encodeLine(record, journal.lastHash);
    journal.lastHash = hash;
    const write = journal.queue.then(async () => {
      await journal.handle.appendFile(line);
      journal.dirty = true;
      if (options.durable) {
        await journal.handle.datasync();
        journal.dirty = false;
      }
    });
    journal.queue = write.catch(() => undefined);
    return write;
  }

  openStepLog(runId: string, fileName: string): Writable {
    return createWriteStream(path.join(this.pathsOf(runId).logDir, fileName), { flags: 'a', mode: 0o600 });
  }

  async close(): Promise<void> {
    for (const journal of this.#open.values()) {
      await journal.queue;
      if (journal.dirty) await journal.handle.datasync();
      await journal.handle.close();
    }
    this.#open.clear();
  }

  async #openHandle(runId: string): Promise<Omit<OpenJournal, 'lastHash'>> {
    const existing = this.#open.get(runId);
    if (existing) return existing;
    await mkdir(this.#runDir(runId), { recursive: true, mode: 0o700 });
    const handle = await open(this.#journalFile(runId), 'a', 0o600);
    return { handle, queue: Promise.resolve(), dirty: false };
  }

  #runDir(runId: string): string {
    if (!RUN_ID.test(runId)) throw new Error(`invalid run id ${JSON.stringify(runId)}`);
    return path.join(this.#root, runId);
  }

  #journalFile(runId: string): string {
    return path.join(this.#runDir(runId), 'journal.jsonl');
  }
}
