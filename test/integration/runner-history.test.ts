import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, RunEventRecord, RunHistory } from '../../protocol/index.ts';
import { tempDir } from '../helpers/run-script.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';
import { manifestFor } from '../helpers/runner-http.ts';

const SLUG = 'runner-fixture';
let stateDir: string;
let runner: RunnerApi;
let before: string;
let after: string;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// The fixture's manifest with echo-word edited, as after a runbook edit and a rebuild.
function editEchoWord(manifest: Manifest): Manifest {
  const edited = structuredClone(manifest);
  const runbook = edited.runbooks.find((item) => item.slug === SLUG) as Manifest['runbooks'][number];
  const step = runbook.steps.find((item) => item.id === 'echo-word');
  if (step?.kind !== 'command') throw new Error('echo-word is a command step');
  step.script = `${step.script}\necho edited`;
  step.hash = sha256(`edited ${step.hash}`);
  runbook.contentHash = sha256(`edited ${runbook.contentHash}`);
  return edited;
}

async function runStep(handle: RunnerApi, runId: string, stepId: string, attempt: number): Promise<RunEventRecord[]> {
  const events = followEvents(handle, runId, finished(stepId, attempt));
  const response = await handle.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
    stepHash: stepHash(handle, stepId),
  });
  expect(response.status, response.body).toBe(202);
  return events;
}

beforeAll(async () => {
  stateDir = await tempDir('drillbook-history-');
  const { manifest } = await manifestFor();
  const folder = await tempDir('drillbook-history-manifest-');
  const editedFile = path.join(folder, 'manifest-edited.json');
  await writeFile(editedFile, JSON.stringify(editEchoWord(manifest)));
  const old = await startApp({ stateDir });
  const create = async (operator: string) =>
    ((await old.api('POST', '/api/runs', { runbook: SLUG, operator })).json() as { id: string }).id;
  before = await create('ana');
  await runStep(old, before, 'echo-word', 1);
  const untouched = await create('bob');
  expect((await old.api('POST', `/api/runs/${untouched}/abandon`, {})).status).toBe(204);
  await old.stop();
  runner = await startApp({ stateDir, manifestFile: editedFile });
  after = ((await runner.api('POST', '/api/runs', { runbook: SLUG, operator: 'cy' })).json() as { id: string }).id;
}, 120_000);
afterAll(() => runner?.stop());

describe('runs made before a runbook edit', () => {
  it('list with duration and outcome, and say which steps changed since, with a diff of the script', async () => {
    const { runs } = (await runner.api('GET', '/api/history')).json() as RunHistory;
    expect(runs.map((run) => run.operator)).toEqual(['cy', 'bob', 'ana']);
    const old = runs.find((run) => run.id === before);
    expect(old).toMatchObject({ status: 'active', steps: { done: 1, failed: 0 }, environment: null });
    expect(old?.durationMs).toBeGreaterThan(0);
    expect(old?.drift).toMatchObject({ runbookChanged: true, basis: 'runbook' });
    expect(old?.drift.steps).toEqual([
      expect.objectContaining({ id: 'echo-word', title: 'Echo the word', change: 'changed' }),
    ]);
    expect(old?.drift.steps[0]?.diff).toMatch(/^\+echo edited$/m);
    expect(runs.find((run) => run.operator === 'bob')?.status).toBe('abandoned');
    expect(runs.find((run) => run.id === after)?.drift).toEqual({ runbookChanged: false, basis: 'runbook', steps: [] });
  });

  it('warns before a changed step runs on resume, once, and the record keeps the warning', async () => {
    const records = await runStep(runner, before, 'echo-word', 2);
    const warning = records.findIndex(
      ({ event }) => event.type === 'warning' && event.message.includes('"echo-word" changed since this run began'),
    );
    const started = records.findIndex(({ event }) => event.type === 'step-started' && event.attempt === 2);
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(started);
    const again = await runStep(runner, before, 'echo-word', 3);
    const seen = Math.max(...records.map((record) => record.seq));
    expect(again.filter(({ seq, event }) => seq > seen && event.type === 'warning')).toHaveLength(0);
    const journal = await readFile(path.join(stateDir, 'runs', before, 'journal.jsonl'), 'utf8');
    expect(journal.match(/changed since this run began/g)).toHaveLength(1);
    const fresh = await runStep(runner, after, 'echo-word', 1);
    expect(fresh.some(({ event }) => event.type === 'warning')).toBe(false);
  });
});
