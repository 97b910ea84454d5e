import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEventRecord } from '../../../protocol/index.ts';
import { JournalRunStore } from '../../../runner/store/journal-run-store.ts';
import { tempDir } from '../../helpers/run-script.ts';

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
