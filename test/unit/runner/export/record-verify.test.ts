import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ExportRecord,
  ExportRecordSchema,
  MASK,
  type RunEvent,
  type RunView,
} from '../../../../protocol/index.ts';
import { buildRecord } from '../../../../runner/export/build-record.ts';
import { serializeRunJson } from '../../../../runner/export/export-run.ts';
import { renderRecordHtml } from '../../../../runner/export/render-html.ts';
import { verifyRecordFile } from '../../../../runner/export/verify-file.ts';
import { chainHash } from '../../../../runner/store/journal-line.ts';
import { JournalRunStore } from '../../../../runner/store/journal-run-store.ts';
import { tempDir } from '../../../helpers/run-script.ts';
import { RUN_ID, writeFixtureRun } from './record-fixture.ts';

let record: ExportRecord;
let store: JournalRunStore;
let stateDir: string;
let folder: string;

beforeAll(async () => {
  ({ record, store, stateDir } = await writeFixtureRun());
  folder = await tempDir('drillbook-verify-');
});
afterAll(() => store.close());

const copy = (): ExportRecord => JSON.parse(JSON.stringify(record)) as ExportRecord;

async function verifyJson(edited: unknown) {
  const file = path.join(folder, `${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(edited));
  return verifyRecordFile(file);
}

describe('the record of a run', () => {
  it('follows the schema and says who ran what, where, when, with which result', () => {
    expect(ExportRecordSchema.safeParse(record).success).toBe(true);
    expect(record.summary).toMatchObject({
      runId: RUN_ID,
      runbook: { slug: 'etcd-backup', title: 'Back up etcd' },
      cluster: { context: 'prod-eu', server: 'https://10.0.0.1:6443', environment: 'production' },
      operator: 'ana',
      mode: 'live',
      startedAt: '2026-01-02T03:04:05.000Z',
      endedAt: '2026-01-02T03:04:16.000Z',
      outcome: 'completed',
      durationMs: 11_000,
    });
    expect(record.attempts).toEqual([
      expect.objectContaining({
        step: 'snapshot',
        command: `etcdctl snapshot save etcd-snapshot.db -n storage --password ${MASK}`,
        excerpt: '\u001b[32mSnapshot saved\u001b[0m at etcd-snapshot.db\nrevision 42\n',
        durationMs: 1500,
        outcome: 'succeeded',
        checks: [{ label: 'exit code is 0', passed: true, detail: 'exit code 0' }],
      }),
    ]);
    expect(record.values.find((value) => value.name === 'revision')).toMatchObject({ value: '43', source: 'override' });
    expect(record.values.find((value) => value.name === 'password')).toEqual(
      expect.not.objectContaining({ value: expect.anything() }),
    );
    expect(record.timeline.map((entry) => entry.type)).toEqual([
      'run-created',
      'preflight-checked',
      'step-started',
      'captured',
      'check-result',
      'step-finished',
      'value-overridden',
      'step-skipped',
      'note-added',
      'run-ended',
    ]);
    expect(record.timeline[5]).toEqual({
      id: `${RUN_ID}:8`,
      time: '2026-01-02T03:04:12.000Z',
      type: 'step-finished',
      actor: 'runner',
      step: 'snapshot',
      data: expect.objectContaining({ durationMs: 1500, exitCode: 0, outcome: 'succeeded' }),
    });
    expect(record.timeline[7]).toMatchObject({ actor: 'operator:ana', step: 'verify', data: { reason: 'not needed' } });
    expect(record.artifacts).toEqual([
      { name: 'etcd-snapshot.db', size: 14, sha256: createHash('sha256').update('snapshot bytes').digest('hex') },
    ]);
    expect(record.logs.map((log) => log.name)).toEqual(['snapshot.1.log']);
  });

  it('carries each event with its hash and the head of the journal chain', async () => {
    const journal = await readFile(path.join(stateDir, 'runs', RUN_ID, 'journal.jsonl'), 'utf8');
    const lastLine = JSON.parse(journal.trimEnd().split('\n').at(-1) as string) as { hash: string };
    expect(record.chain).toMatchObject({ head: lastLine.hash, length: 12 });
    expect(record.events[3]?.hash).toBe(
      chainHash(record.events[2]?.hash as string, JSON.stringify(record.events[3]?.record)),
    );
  });
});

describe('drill verify on JSON', () => {
  it('reports an untouched record intact, with its head', async () => {
    const file = path.join(folder, 'untouched.json');
    await writeFile(file, serializeRunJson(record));
    expect(await verifyRecordFile(file)).toMatchObject({
      intact: true,
      head: record.chain.head,
      events: 12,
      format: 'json',
    });
  });

  it('names the first event whose text was edited', async () => {
    const edited = copy();
    const output = edited.events[4]?.record.event as { text: string };
    output.text = output.text.replace('42', '41');
    expect(await verifyJson(edited)).toMatchObject({ intact: false, where: 'event 5 (seq 5)' });
  });

  it('catches an edited event whose own hash was recomputed: the next link breaks', async () => {
    const edited = copy();
    const event = edited.events[10] as ExportRecord['events'][number];
    (event.record.event as { text: string }).text = 'nothing happened';
    event.hash = chainHash(edited.events[9]?.hash as string, JSON.stringify(event.record));
    expect(await verifyJson(edited)).toMatchObject({ intact: false, where: 'event 12 (seq 12)' });
  });

  it('catches a removed last event through the head', async () => {
    const edited = copy();
    edited.events.pop();
    expect(await verifyJson(edited)).toMatchObject({ intact: false, where: 'chain' });
  });

  it('catches a summary, timeline, attempt or value that no longer follows from the events', async () => {
    const outcome = copy();
    outcome.summary.outcome = 'abandoned';
    expect(await verifyJson(outcome)).toMatchObject({ intact: false, where: 'summary.outcome' });
    const timeline = copy();
    (timeline.timeline[5] as { data: Record<string, unknown> }).data.exitCode = 1;
    expect(await verifyJson(timeline)).toMatchObject({ intact: false, where: `timeline[5] (${RUN_ID}:8)` });
    const attempt = copy();
    (attempt.attempts[0] as { command: string }).command = 'true';
    expect(await verifyJson(attempt)).toMatchObject({ intact: false, where: 'attempts[0] (snapshot attempt 1)' });
    const value = copy();
    (value.values[2] as { value: string }).value = '7';
    expect(await verifyJson(value)).toMatchObject({ intact: false, where: expect.stringMatching(/^values\[2\]/) });
  });
});

describe('drill verify on HTML', () => {
  it('reports the exported page intact, and catches an edit of its text or of its embedded record', async () => {
    const html = renderRecordHtml(record);
    const file = path.join(folder, 'record.html');
    await writeFile(file, html);
    expect(await verifyRecordFile(file)).toMatchObject({ intact: true, head: record.chain.head, format: 'html' });
    await writeFile(file, html.replace('>completed<', '>abandoned<'));
    expect(await verifyRecordFile(file)).toMatchObject({
      intact: false,
      where: expect.stringMatching(/^the HTML, line \d+/),
    });
    await writeFile(file, html.replace(/("text":"[^"]*)revision 42/, '$1revision 41'));
    expect(await verifyRecordFile(file)).toMatchObject({ intact: false, where: 'event 5 (seq 5)' });
  });

  it('renders colours, masks secrets, escapes text and makes no request', () => {
    const html = renderRecordHtml(record);
    expect(html).toMatch(/<span style="color:rgb\(\d+,\d+,\d+\)">Snapshot saved<\/span>/);
    expect(html).toContain(`--password ${MASK}`);
    expect(html).toContain('all good &#60;b&#62;here&#60;/b&#62;');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\b(src|href)=|<link|@import|url\(/);
  });
});

describe('a journal written before runs were pinned to a cluster', () => {
  it('exports and verifies intact: the chain covers its text as written', async () => {
    const oldDir = await tempDir('drillbook-old-journal-');
    const oldStore = new JournalRunStore(oldDir);
    const paths = await oldStore.createRun('old-run');
    const created = {
      type: 'run-created',
      runbook: { slug: 'etcd-backup', title: 'Back up etcd', contentHash: 'c'.repeat(64) },
      mode: 'live',
      operator: 'ana',
      params: {},
      workdir: paths.workdir,
    } as unknown as RunEvent;
    await oldStore.append(
      { seq: 1, at: '2025-01-01T00:00:00.000Z', runId: 'old-run', event: created },
      { durable: true },
    );
    const lines = await oldStore.readChain('old-run');
    expect(lines[0]?.body).not.toContain('"target"');
    const old = await buildRecord({
      lines,
      runbook: undefined,
      view: { steps: [] } as unknown as RunView,
      workdir: paths.workdir,
      logDir: paths.logDir,
    });
    await oldStore.close();
    expect(old.summary.cluster).toBeNull();
    const file = path.join(folder, 'old.json');
    await writeFile(file, serializeRunJson(old));
    expect(await verifyRecordFile(file)).toMatchObject({ intact: true, head: lines[0]?.hash });
  });
});
