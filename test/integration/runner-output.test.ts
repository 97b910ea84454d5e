import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
    const runner = await startRunner();
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
