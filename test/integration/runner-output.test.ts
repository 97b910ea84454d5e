// biome-ignore-all lint/suspicious/noControlCharactersInRegex: this file is about terminal control characters
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../helpers/runner-app.ts';
import { finished, followEvents, startRunner, stepHash } from '../helpers/runner-process.ts';

const MB = 1024 * 1024;

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

describe('large output', () => {
  it('streams 200 MB with bounded memory: capped events, the full log on disk', async () => {
    const runner = await startRunner();
    try {
      const bytes = 200 * MB;
      const created = await runner.api('POST', '/api/runs', {
        runbook: 'runner-fixture',
        operator: 'ana',
        params: { bytes: String(bytes) },
      });
      const runId = (created.json() as { id: string }).id;
      const events = followEvents(runner, runId, finished('big-output'), { timeoutMs: 110_000 });
      await runner.api('POST', `/api/runs/${runId}/steps/big-output/run`, { stepHash: stepHash(runner, 'big-output') });
      const records = await events;
      const sent = records.reduce(
        (total, { event }) => total + (event.type === 'output' ? Buffer.byteLength(event.text) : 0),
        0,
      );
      expect(sent).toBe(512 * 1024);
      const truncated = records.find(({ event }) => event.type === 'output-truncated')?.event;
      expect(truncated).toMatchObject({
        type: 'output-truncated',
        shownBytes: 512 * 1024,
        logFile: 'big-output.1.log',
      });
      expect(truncated?.type === 'output-truncated' ? truncated.tail.length : 0).toBe(16 * 1024);
      expect(truncated?.type === 'output-truncated' ? truncated.tail : '').toContain('drillbook output line\n');
      expect((await stat(path.join(runner.stateDir, 'runs', runId, 'logs', 'big-output.1.log'))).size).toBe(bytes);
      expect(records.find(({ event }) => event.type === 'step-finished')?.event).toMatchObject({
        outcome: 'succeeded',
      });
      const peak = await peakRssMb(runner.child.pid as number);
      expect(peak).toBeLessThan(200);
    } finally {
      await runner.stop();
    }
  });

  it('keeps invalid UTF-8 and binary output from breaking the stream', async () => {
    const runner = await startApp();
    try {
      const created = await runner.api('POST', '/api/runs', { runbook: 'runner-fixture', operator: 'ana' });
      const runId = (created.json() as { id: string }).id;
      const events = followEvents(runner, runId, finished('binary-output'));
      await runner.api('POST', `/api/runs/${runId}/steps/binary-output/run`, {
        stepHash: stepHash(runner, 'binary-output'),
      });
      const records = await events;
      const text = records.map(({ event }) => (event.type === 'output' ? event.text : '')).join('');
      expect(text).toBe('ok \ufffd\ufffd\u0000 \u001b[32mgreen\u001b[0m\n');
      expect(records.find(({ event }) => event.type === 'step-finished')?.event).toMatchObject({
        outcome: 'succeeded',
      });
    } finally {
      await runner.stop();
    }
  });
});

describe('exports are safe to cat', () => {
  const HOSTILE = [
    '\x1b]52;c;cm0gLXJmIH4=\x07',
    '\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\',
    '\x1b[2A\x1b[2K',
    '\x9b2J',
    '\x1bP+q\x1b\\',
    'evil\rgood\b\x07',
  ].join(' ');
  const UNSAFE_IN_MARKDOWN = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

  it('strips terminal controls from the Markdown export and escapes C1 in the JSON export', async () => {
    const runner = await startApp();
    try {
      const created = await runner.api('POST', '/api/runs', {
        runbook: 'runner-fixture',
        operator: `ana ${HOSTILE}`,
      });
      const runId = (created.json() as { id: string }).id;
      // A param refuses control characters; an override still lets them into the step's output.
      const override = { value: `w${HOSTILE}`, reason: 'hostile output' };
      expect((await runner.api('POST', `/api/runs/${runId}/values/word/override`, override)).status).toBe(204);
      const events = followEvents(runner, runId, finished('echo-word'));
      await runner.api('POST', `/api/runs/${runId}/steps/echo-word/run`, { stepHash: stepHash(runner, 'echo-word') });
      await events;
      expect((await runner.api('POST', `/api/runs/${runId}/notes`, { text: `note ${HOSTILE}` })).status).toBe(204);
      const markdown = (await runner.api('GET', `/api/runs/${runId}/export.md`)).body;
      expect(markdown).toContain('word=w');
      expect(markdown).toContain('note ');
      expect(markdown).not.toMatch(UNSAFE_IN_MARKDOWN);
      const json = (await runner.api('GET', `/api/runs/${runId}/export.json`)).body;
      expect(json).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
      expect((JSON.parse(json) as { summary: { operator: string } }).summary.operator).toBe(`ana ${HOSTILE}`);
      const log = await runner.api('GET', `/api/runs/${runId}/logs/echo-word.1.log`);
      expect(log.status).toBe(200);
      expect(log.body).toContain('word=w\\x1b]52;c;cm0gLXJmIH4=\\x07');
      expect(log.body).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    } finally {
      await runner.stop();
    }
  });
});
