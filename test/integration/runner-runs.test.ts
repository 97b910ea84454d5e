import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventRecord } from '../../protocol/index.ts';
import { MASK } from '../../runner/secrets/masker.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';

let runner: RunnerApi;
const API_KEY = 'ak-9f8e7d6c5b4a';

beforeAll(async () => {
  runner = await startApp();
});
afterAll(() => runner.stop());

async function createRun(params: Record<string, string> = {}): Promise<string> {
  const response = await runner.api('POST', '/api/runs', { runbook: 'runner-fixture', operator: 'ana', params });
  expect(response.status, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

async function runStep(runId: string, stepId: string): Promise<RunEventRecord[]> {
  const events = followEvents(runner, runId, finished(stepId, attemptAfter(runId, stepId)));
  const response = await runner.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
    stepHash: stepHash(runner, stepId),
  });
  expect(response.status, response.body).toBe(202);
  return events;
}

const attempts = new Map<string, number>();
function attemptAfter(runId: string, stepId: string): number {
  const key = `${runId}/${stepId}`;
  const next = (attempts.get(key) ?? 0) + 1;
  attempts.set(key, next);
  return next;
}

async function view(runId: string) {
  return (await runner.api('GET', `/api/runs/${runId}`)).json() as {
    status: string;
    values: { name: string; known: boolean; value?: string; secret: boolean }[];
    steps: {
      id: string;
      status: string;
      exitCode: number | null;
      checks: { passed: boolean; label: string }[];
      missing: string[];
    }[];
    choices: { name: string; candidates: string[] }[];
  };
}

const outputOf = (records: RunEventRecord[], stepId: string) =>
  records.map(({ event }) => (event.type === 'output' && event.stepId === stepId ? event.text : '')).join('');

describe('a run through the HTTP API', () => {
  it('runs a step, streams its output and captures a value', async () => {
    const runId = await createRun({ word: "it's $(date)" });
    const records = await runStep(runId, 'echo-word');
    expect(outputOf(records, 'echo-word')).toBe("word=it's $(date)\n");
    const state = await view(runId);
    expect(state.values.find((value) => value.name === 'echoed')).toMatchObject({ known: true, value: "it's $(date)" });
    expect(state.steps.find((step) => step.id === 'echo-word')).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const types = records.map((record) => record.event.type);
    expect(types.indexOf('step-started')).toBeLessThan(types.indexOf('step-spawned'));
    expect(types.indexOf('step-spawned')).toBeLessThan(types.indexOf('output'));
  });

  it('masks a secret param written one byte at a time with pauses, in the stream and on disk', async () => {
    const runId = await createRun({ apiKey: API_KEY });
    const chunks: string[] = [];
    const events = followEvents(runner, runId, finished('dribble-key'), { onChunk: (text) => chunks.push(text) });
    await runner.api('POST', `/api/runs/${runId}/steps/dribble-key/run`, { stepHash: stepHash(runner, 'dribble-key') });
    const records = await events;
    expect(outputOf(records, 'dribble-key')).toBe(`${MASK}\n`);
    expect(chunks.join('')).not.toContain('ak-9f8');
    const journal = await readFile(path.join(runner.stateDir, 'runs', runId, 'journal.jsonl'), 'utf8');
    expect(journal).not.toContain(API_KEY);
    expect(journal).not.toContain(Buffer.from(API_KEY).toString('base64'));
  });

  it('registers a captured secret before releasing the output that holds it', async () => {
    const runId = await createRun();
    const records = await runStep(runId, 'capture-secret');
    const password = `pw-${runId}-s3cret`;
    expect(outputOf(records, 'capture-secret')).toBe(`{"data": {"password": "${MASK}"}}\n`);
    const used = await runStep(runId, 'use-secret');
    expect(outputOf(used, 'use-secret')).toBe(`using ${MASK}\n${MASK}\n`);
    const state = await view(runId);
    expect(state.values.find((value) => value.name === 'password')).toEqual({
      name: 'password',
      known: true,
      secret: true,
      source: 'capture',
    });
    const stateFiles = [
      await readFile(path.join(runner.stateDir, 'runs', runId, 'journal.jsonl'), 'utf8'),
      await readFile(path.join(runner.stateDir, 'runs', runId, 'logs', 'use-secret.1.log'), 'utf8'),
      (await runner.api('GET', `/api/runs/${runId}/export.md`)).body,
      (await runner.api('GET', `/api/runs/${runId}/export.json`)).body,
      runner.logs(),
    ];
    for (const text of stateFiles) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(Buffer.from(password).toString('base64'));
    }
  });

  it('offers candidates, refuses a step whose input is missing, and takes the operator choice', async () => {
    const runId = await createRun();
    await runStep(runId, 'list-pods');
    const before = await view(runId);
    expect(before.choices).toEqual([
      { name: 'pod', stepId: 'list-pods', candidates: ['etcd-0', 'etcd-1'], secret: false },
    ]);
    expect(before.steps.find((step) => step.id === 'use-pod')?.missing).toEqual(['pod']);
    const refused = await runner.api('POST', `/api/runs/${runId}/steps/use-pod/run`, {
      stepHash: stepHash(runner, 'use-pod'),
    });
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'MISSING_VALUES', details: { missing: ['pod'] } });
    expect((await runner.api('POST', `/api/runs/${runId}/values/pod/choose`, { index: 1 })).status).toBe(204);
    expect(outputOf(await runStep(runId, 'use-pod'), 'use-pod')).toBe('pod is etcd-1\n');
  });

  it('records an override, a skip, a manual acknowledgement with a value, and notes', async () => {
    const runId = await createRun();
    expect(
      (await runner.api('POST', `/api/runs/${runId}/values/word/override`, { value: 'bye', reason: 'typo' })).status,
    ).toBe(204);
    expect(
      (await runner.api('POST', `/api/runs/${runId}/steps/touch-marker/skip`, { reason: 'not needed' })).status,
    ).toBe(204);
    const wrong = await runner.api('POST', `/api/runs/${runId}/steps/ticket/acknowledge`, { value: 'nope' });
    expect(wrong.status).toBe(422);
    expect((await runner.api('POST', `/api/runs/${runId}/steps/ticket/acknowledge`, { value: 'OPS-42' })).status).toBe(
      204,
    );
    expect((await runner.api('POST', `/api/runs/${runId}/notes`, { text: 'paged the DBA' })).status).toBe(204);
    const state = await view(runId);
    expect(state.values.find((value) => value.name === 'word')).toMatchObject({ value: 'bye' });
    expect(state.values.find((value) => value.name === 'ticket')).toMatchObject({ value: 'OPS-42' });
    expect(state.steps.find((step) => step.id === 'touch-marker')?.status).toBe('skipped');
    expect(state.steps.find((step) => step.id === 'ticket')?.status).toBe('acknowledged');
    const markdown = (await runner.api('GET', `/api/runs/${runId}/export.md`)).body;
    expect(markdown).toContain('paged the DBA');
    expect(markdown).toContain('| word | `bye` | override |');
  });

  it('records failing and passing checks, and waits for a condition by polling', async () => {
    const runId = await createRun();
    await runStep(runId, 'failing-check');
    const state = await view(runId);
    expect(state.steps.find((step) => step.id === 'failing-check')?.checks).toEqual([
      { label: 'stdout matches /status: healthy/', passed: false, detail: 'stdout does not match' },
      { label: 'exit code is 0', passed: true, detail: 'exit code 0' },
    ]);
    expect(state.steps.find((step) => step.id === 'failing-check')).toMatchObject({ status: 'failed', exitCode: 0 });
    const waited = await runStep(runId, 'wait-three');
    expect(waited.filter(({ event }) => event.type === 'wait-retry')).toHaveLength(2);
    expect((await view(runId)).steps.find((step) => step.id === 'wait-three')).toMatchObject({
      status: 'succeeded',
      checks: [{ passed: true }],
    });
  });

  it('cancels a long step, answers 409 while it runs and on a changed step hash', async () => {
    const runId = await createRun();
    const events = followEvents(runner, runId, finished('sleep-long'));
    expect(
      (
        await runner.api('POST', `/api/runs/${runId}/steps/sleep-long/run`, {
          stepHash: stepHash(runner, 'sleep-long'),
        })
      ).status,
    ).toBe(202);
    const busy = await runner.api('POST', `/api/runs/${runId}/steps/echo-word/run`, {
      stepHash: stepHash(runner, 'echo-word'),
    });
    expect(busy.status).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'STEP_BUSY' });
    const stale = await runner.api('POST', `/api/runs/${runId}/steps/echo-word/run`, { stepHash: 'f'.repeat(64) });
    expect(stale.json()).toMatchObject({ code: 'STEP_HASH_MISMATCH' });
    expect((await runner.api('POST', `/api/runs/${runId}/steps/sleep-long/cancel`, {})).status).toBe(204);
    const finishedEvent = (await events).find(({ event }) => event.type === 'step-finished')?.event;
    expect(finishedEvent).toMatchObject({ outcome: 'canceled', canceled: true });
  });

  it('resumes the event stream after Last-Event-ID, then completes the run', async () => {
    const runId = await createRun();
    const all = await runStep(runId, 'echo-word');
    const resumed = await followEvents(runner, runId, (records) => records.length >= all.length - 3, {
      lastEventId: 3,
    });
    expect(resumed[0]?.seq).toBe(4);
    expect((await runner.api('POST', `/api/runs/${runId}/complete`, {})).status).toBe(204);
    expect((await view(runId)).status).toBe('completed');
    const after = await runner.api('POST', `/api/runs/${runId}/steps/echo-word/run`, {
      stepHash: stepHash(runner, 'echo-word'),
    });
    expect(after.json()).toMatchObject({ code: 'RUN_ENDED' });
    const exported = (await runner.api('GET', `/api/runs/${runId}/export.json`)).json() as {
      schemaVersion: number;
      events: unknown[];
    };
    expect(exported.schemaVersion).toBe(2);
    expect(exported.events.length).toBe(all.length + 1);
  });
});

describe('simultaneous Run requests right after start-up', () => {
  for (const count of [3, 10]) {
    it(`start one attempt out of ${count}`, async () => {
      const fresh = await startApp();
      try {
        const created = await fresh.api('POST', '/api/runs', { runbook: 'runner-fixture', operator: 'ana' });
        const runId = (created.json() as { id: string }).id;
        const body = { stepHash: stepHash(fresh, 'echo-word') };
        const answers = await Promise.all(
          Array.from({ length: count }, () => fresh.api('POST', `/api/runs/${runId}/steps/echo-word/run`, body)),
        );
        expect(answers.map((answer) => answer.status).sort()).toEqual([202, ...Array(count - 1).fill(409)]);
        const records = await followEvents(fresh, runId, finished('echo-word'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const again = await followEvents(fresh, runId, (seen) => seen.length >= records.length);
        expect(again.filter(({ event }) => event.type === 'step-started')).toHaveLength(1);
      } finally {
        await fresh.stop();
      }
    });
  }

  it('answers a request sent again with the same Idempotency-Key with the first answer, without running again', async () => {
    const fresh = await startApp();
    try {
      const created = await fresh.api('POST', '/api/runs', { runbook: 'runner-fixture', operator: 'ana' });
      const runId = (created.json() as { id: string }).id;
      const send = (key: string, viaBody = false) =>
        fresh.raw({
          method: 'POST',
          path: `/api/runs/${runId}/steps/echo-word/run`,
          headers: {
            host: `127.0.0.1:${fresh.port}`,
            origin: `http://127.0.0.1:${fresh.port}`,
            'x-drillbook-token': fresh.token,
            'content-type': 'application/json',
            ...(viaBody ? {} : { 'idempotency-key': key }),
          },
          body: JSON.stringify({ stepHash: stepHash(fresh, 'echo-word'), ...(viaBody ? { requestId: key } : {}) }),
        });
      const first = await Promise.all([send('k-1'), send('k-1'), send('k-1')]);
      expect(first.map((answer) => [answer.status, answer.json()])).toEqual(Array(3).fill([202, { attempt: 1 }]));
      await followEvents(fresh, runId, finished('echo-word'));
      const replay = await send('k-1');
      expect([replay.status, replay.json()]).toEqual([202, { attempt: 1 }]);
      const next = await send('k-2', true);
      expect([next.status, next.json()]).toEqual([202, { attempt: 2 }]);
      const records = await followEvents(fresh, runId, finished('echo-word', 2));
      expect(records.filter(({ event }) => event.type === 'step-started')).toHaveLength(2);
    } finally {
      await fresh.stop();
    }
  });
});
