import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEventRecord } from '../../../../protocol/index.ts';
import { type OpenJournalFile, openJournalFile } from '../../../../runner/store/journal-file.ts';
import { JournalRunStore } from '../../../../runner/store/journal-run-store.ts';
import { tempDir } from '../../../helpers/run-script.ts';

const RUN = 'run-1';
const record = (seq: number, text = `note ${seq}`): RunEventRecord => ({
  seq,
  at: new Date(Date.UTC(2026, 10, 21, 8, 0, seq)).toISOString(),
  runId: RUN,
  event: { type: 'note-added', text },
});

async function storeWith(records: RunEventRecord[]): Promise<{ store: JournalRunStore; dir: string; file: string }> {
  const dir = await tempDir();
  const store = new JournalRunStore(dir);
  await store.createRun(RUN);
  await store.load(RUN);
  for (const item of records) await store.append(item, { durable: true });
  await store.close();
  return { store: new JournalRunStore(dir), dir, file: path.join(dir, 'runs', RUN, 'journal.jsonl') };
}

describe('the JSONL journal', () => {
  it('reads back what was appended, one JSON document per line', async () => {
    const { store, file } = await storeWith([record(1), record(2), record(3)]);
    const loaded = await store.load(RUN);
    expect(loaded.records).toEqual([record(1), record(2), record(3)]);
    expect(loaded).toMatchObject({ repairedTail: false, damagedAt: null });
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it('cuts off a torn last line and keeps appending after it', async () => {
    const { store, file } = await storeWith([record(1), record(2)]);
    await appendFile(file, '{"hash":"abc","record":{"seq":3,');
    const loaded = await store.load(RUN);
    expect(loaded.records.map((item) => item.seq)).toEqual([1, 2]);
    expect(loaded.repairedTail).toBe(true);
    await store.append(record(3), { durable: true });
    await store.close();
    expect(
      (await new JournalRunStore(path.dirname(path.dirname(path.dirname(file)))).load(RUN)).records.map(
        (item) => item.seq,
      ),
    ).toEqual([1, 2, 3]);
  });

  it('detects an edited line in the middle and keeps the records before it', async () => {
    const { store, file } = await storeWith([record(1), record(2, 'original'), record(3)]);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('original', 'tampered'));
    const loaded = await store.load(RUN);
    expect(loaded.damagedAt).toBe(2);
    expect(loaded.records.map((item) => item.seq)).toEqual([1]);
    expect(await readFile(file, 'utf8')).toContain('tampered');
  });

  it('lists runs and refuses run ids that could escape the state folder', async () => {
    const { store } = await storeWith([record(1)]);
    expect(await store.listRuns()).toEqual([RUN]);
    expect(() => store.pathsOf('../etc')).toThrow(/invalid run id/);
  });
});

// A disk that fills up on demand: the next append writes part of its line, then fails.
function fillingDisk() {
  const disk = { full: false, syncFails: false, truncateFails: 0 };
  const openFile: OpenJournalFile = async (file) => {
    const real = await openJournalFile(file);
    const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return {
      async append(text) {
        if (!disk.full) return real.append(text);
        await real.append(text.slice(0, Math.floor(text.length / 2)));
        throw enospc();
      },
      async datasync() {
        if (disk.syncFails) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        return real.datasync();
      },
      async truncate(length) {
        if (disk.truncateFails > 0) {
          disk.truncateFails--;
          throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
        }
        return real.truncate(length);
      },
      close: () => real.close(),
    };
  };
  return { disk, openFile };
}

describe('the JSONL journal on a failing disk', () => {
  async function openOnFailingDisk() {
    const dir = await tempDir();
    const { disk, openFile } = fillingDisk();
    const store = new JournalRunStore(dir, { openFile });
    await store.createRun(RUN);
    await store.load(RUN);
    await store.append(record(1), { durable: true });
    const file = path.join(dir, 'runs', RUN, 'journal.jsonl');
    const reload = async () => {
      await store.close();
      return new JournalRunStore(dir).load(RUN);
    };
    return { disk, store, file, reload };
  }

  it('refuses a write that fails part way, cuts its torn line off and chains the next one to the last good line', async () => {
    const { disk, store, file, reload } = await openOnFailingDisk();
    const before = await readFile(file, 'utf8');
    disk.full = true;
    await expect(store.append(record(2), { durable: true })).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      message: expect.stringContaining('ENOSPC'),
    });
    await expect(store.append(record(2), { durable: false })).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    expect(await readFile(file, 'utf8')).toBe(before);
    disk.full = false;
    await store.append(record(2), { durable: true });
    const loaded = await reload();
    expect(loaded).toMatchObject({ repairedTail: false, damagedAt: null });
    expect(loaded.records.map((item) => item.seq)).toEqual([1, 2]);
  });

  it('takes back a line whose sync failed', async () => {
    const { disk, store, file, reload } = await openOnFailingDisk();
    const before = await readFile(file, 'utf8');
    disk.syncFails = true;
    await expect(store.append(record(2), { durable: true })).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    expect(await readFile(file, 'utf8')).toBe(before);
    disk.syncFails = false;
    await store.append(record(2, 'after'), { durable: true });
    expect((await reload()).records.map((item) => item.event)).toEqual([
      record(1).event,
      { type: 'note-added', text: 'after' },
    ]);
  });

  it('cuts a torn line off before the next write when it could not right away', async () => {
    const { disk, store, reload } = await openOnFailingDisk();
    disk.full = true;
    disk.truncateFails = 2;
    await expect(store.append(record(2), { durable: true })).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    disk.full = false;
    await expect(store.append(record(2), { durable: true })).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    await store.append(record(2), { durable: true });
    const loaded = await reload();
    expect(loaded).toMatchObject({ repairedTail: false, damagedAt: null });
    expect(loaded.records.map((item) => item.seq)).toEqual([1, 2]);
  });
});
