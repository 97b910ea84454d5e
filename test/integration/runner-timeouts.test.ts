import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventRecord } from '../../protocol/index.ts';
import { findProcessesByMarker } from '../../runner/execution/process-group.ts';
import { readProcess } from '../../runner/execution/process-table.ts';
import { compileRunbooks } from '../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/run-script.ts';
import { followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';

// Steps whose grandchild leaves the process group with setsid and keeps stdout open.
const RUNBOOK = `---
title: Escaping steps
summary: Steps whose processes leave their group.
system: drillbook
---

<Step id="escape-timeout" title="Time out with a grandchild in its own session" risk="read" timeout="1s">

\`\`\`bash
setsid sleep 600 &
echo "pids: $!"
( ( setsid bash -c 'echo "pids: $$"; exec sleep 600' & ) & )
sleep 600
\`\`\`

</Step>

<Step id="escape-cancel" title="Cancel with a grandchild in its own session" risk="read" timeout="1h">

\`\`\`bash
nohup setsid sleep 600 &
echo "pids: $!"
sleep 600
\`\`\`

</Step>

<Step id="escape-exit" title="Exit with a grandchild in its own session" risk="read" timeout="1h">

\`\`\`bash
setsid bash -c 'sleep 600' &
echo "pids: $!"
echo done
\`\`\`

</Step>
`;

let runner: RunnerApi;

beforeAll(async () => {
  const dir = await tempDir('drillbook-escaping-');
  await writeFile(path.join(dir, 'escaping-steps.mdx'), RUNBOOK);
  const { manifest, diagnostics } = await compileRunbooks(dir, ROOT);
  if (diagnostics.length > 0) throw new Error(JSON.stringify(diagnostics));
  const manifestFile = path.join(dir, 'manifest.json');
  await writeFile(manifestFile, JSON.stringify(manifest));
  runner = await startApp({ manifestFile });
});

afterAll(async () => {
  await runner?.stop();
});

async function runStep(stepId: string, whileRunning?: (runId: string) => Promise<void>) {
  const created = await runner.api('POST', '/api/runs', { runbook: 'escaping-steps', operator: 'ana' });
  const runId = (created.json() as { id: string }).id;
  const events = followEvents(runner, runId, (records) =>
    records.some(({ event }) => event.type === 'step-finished' && event.stepId === stepId),
  );
  const requested = Date.now();
  const response = await runner.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
    stepHash: stepHash(runner, stepId),
  });
  expect(response.status).toBe(202);
  await whileRunning?.(runId);
  const records = await events;
  return { records, elapsedMs: Date.now() - requested, ...summarize(records) };
}

function summarize(records: RunEventRecord[]) {
  const started = records.find(({ event }) => event.type === 'step-started')?.event;
  const finished = records.find(({ event }) => event.type === 'step-finished')?.event;
  if (started?.type !== 'step-started' || finished?.type !== 'step-finished') throw new Error('no step recorded');
  const output = records.map(({ event }) => (event.type === 'output' ? event.text : '')).join('');
  const pids = [...output.matchAll(/pids: (\d+)/g)].map((match) => Number(match[1]));
  return { marker: started.processMarker, finished, output, pids };
}

async function expectNoneLeft(marker: string, pids: number[]): Promise<void> {
  expect(pids.filter((pid) => !(readProcess(pid)?.zombie ?? true))).toEqual([]);
  expect(await findProcessesByMarker(marker)).toEqual([]);
}

describe('a step whose grandchild left its process group', () => {
  it('is recorded as timed out at its timeout, with nothing left running', async () => {
    const step = await runStep('escape-timeout');
    expect(step.finished).toMatchObject({ outcome: 'timed-out', timedOut: true });
    expect(step.finished.durationMs).toBeGreaterThanOrEqual(1000);
    expect(step.finished.durationMs).toBeLessThan(3000);
    expect(step.elapsedMs).toBeLessThan(4000);
    expect(step.pids).toHaveLength(2);
    await expectNoneLeft(step.marker, step.pids);
  });

  it('is recorded as canceled right after Cancel, with nothing left running', async () => {
    let canceledAt = 0;
    const step = await runStep('escape-cancel', async (runId) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      canceledAt = Date.now();
      expect((await runner.api('POST', `/api/runs/${runId}/steps/escape-cancel/cancel`, {})).status).toBe(204);
    });
    expect(step.finished).toMatchObject({ outcome: 'canceled', canceled: true });
    expect(Date.now() - canceledAt).toBeLessThan(3000);
    expect(step.pids).toHaveLength(1);
    await expectNoneLeft(step.marker, step.pids);
  });

  it('ends when bash exits, with nothing left running', async () => {
    const step = await runStep('escape-exit');
    expect(step.finished).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(step.output).toContain('done\n');
    expect(step.finished.durationMs).toBeLessThan(3000);
    expect(step.pids).toHaveLength(1);
    await expectNoneLeft(step.marker, step.pids);
  });
});
