import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { viewRun } from '../../../../runner/runs/run-view.ts';
import { JournalRunStore } from '../../../../runner/store/journal-run-store.ts';
import { stepBlock } from '../../../helpers/fixtures.ts';
import { serviceFor } from '../../../helpers/run-service.ts';

const RUNBOOK = stepBlock('echo hello', 'id="work" title="Work" risk="read"');

// The page's runner, and a second process's service (drill run) writing into the same state folder.
async function twoWriters() {
  const page = await serviceFor(RUNBOOK);
  const other = await serviceFor(RUNBOOK, { store: () => new JournalRunStore(page.stateDir) });
  const journalOf = (runId: string) => path.join(page.stateDir, 'runs', runId, 'journal.jsonl');
  return { page, other, journalOf };
}

describe('runs another process writes into the state folder', () => {
  it('are listed once discovered, read-only, and read again when their journal grew', async () => {
    const { page, other } = await twoWriters();
    const runId = await other.start();
    expect(page.service.list().map((run) => run.id)).not.toContain(runId);
    await page.service.discover();
    expect(page.service.list().map((run) => run.id)).toContain(runId);
    const seen = page.service.get(runId);
    expect(seen.writtenElsewhere).toBe(true);
    await expect(page.service.note(runId, 'from the page')).rejects.toMatchObject({ code: 'RUN_ENDED' });

    await other.run(runId, 'work');
    await other.service.note(runId, 'from drill run');
    await page.service.discover();
    const after = page.service.get(runId);
    expect(after.state.notes.map((note) => note.text)).toEqual(['from drill run']);
    expect(after.state.steps.get('work')?.status).toBe('succeeded');
  });

  it('shows a step the other process is running as running, not as interrupted', async () => {
    const { page, other } = await twoWriters();
    const runId = await other.start();
    const runtime = other.service.get(runId);
    await runtime.record({
      type: 'step-started',
      stepId: 'work',
      stepHash: other.hashOf('work'),
      attempt: 1,
      script: 'echo hello',
      references: [],
      processMarker: 'marker',
      target: { kind: 'local' },
    });
    await page.service.discover();
    const view = viewRun(page.service.get(runId), page.service.manifest.findRunbook('service'));
    expect(view.steps[0]?.status).toBe('running');
  });

  it('never repairs a journal whose last line is still being written, and shows its whole lines', async () => {
    const { page, other, journalOf } = await twoWriters();
    const runId = await other.start();
    await other.service.note(runId, 'whole');
    await appendFile(journalOf(runId), '{"hash":"0123');
    const before = await readFile(journalOf(runId), 'utf8');
    await page.service.discover();
    expect(await readFile(journalOf(runId), 'utf8')).toBe(before);
    const seen = page.service.get(runId);
    expect(seen.state.notes.map((note) => note.text)).toEqual(['whole']);
    expect(seen.readOnlyReason).toMatch(/another process/);
  });

  it('leaves a run whose first line is not written yet for the next listing', async () => {
    const { page, other, journalOf } = await twoWriters();
    const runId = await other.start();
    const whole = await readFile(journalOf(runId), 'utf8');
    await writeFile(journalOf(runId), whole.slice(0, 40));
    await page.service.discover();
    expect(() => page.service.get(runId)).toThrow(/no run/);
    expect((await stat(journalOf(runId))).size).toBe(40);
    await appendFile(journalOf(runId), whole.slice(40));
    await page.service.discover();
    expect(page.service.get(runId).state.operator).toBe('ana');
  });

  it('leaves the runs this runner writes as its own', async () => {
    const { page } = await twoWriters();
    const runId = await page.start();
    await page.service.discover();
    await page.service.note(runId, 'mine');
    await page.service.discover();
    expect(page.service.get(runId).writtenElsewhere).toBe(false);
    expect(page.service.get(runId).state.notes).toHaveLength(1);
  });
});
