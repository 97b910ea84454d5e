import { execFileSync } from 'node:child_process';
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/run-script.ts';
import { type RunnerHandle, startRunner, stepHash } from '../helpers/runner-process.ts';

// A state dir on a 256 KiB tmpfs that a test fills up at the moment it chooses. Needs root.
let mountPoint = '';
let mounted = false;
beforeAll(async () => {
  mountPoint = await tempDir('drillbook-full-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

const PAGE = 4096;
const filler = () => path.join(mountPoint, 'filler');

// Fills every free page. A file's last page keeps its slack, so the journal can still grow by
// that much: `leaveInJournalPage` sets how much, with notes written before the disk fills.
async function fillDisk(runner: RunnerHandle, runId: string, leaveInJournalPage: number): Promise<void> {
  const journal = path.join(runner.stateDir, 'runs', runId, 'journal.jsonl');
  const noteLine = async (text: string) => {
    const before = (await stat(journal)).size;
    expect((await runner.api('POST', `/api/runs/${runId}/notes`, { text })).status).toBe(204);
    return (await stat(journal)).size - before - text.length;
  };
  const overhead = await noteLine('x');
  const size = (await stat(journal)).size;
  let length = (PAGE - leaveInJournalPage - (size % PAGE) - overhead + 2 * PAGE) % PAGE;
  if (length < 1) length += PAGE;
  await noteLine('n'.repeat(length));
  expect(PAGE - ((await stat(journal)).size % PAGE)).toBe(leaveInJournalPage);
  const handle = await open(filler(), 'w');
  try {
    for (;;) await handle.write(Buffer.alloc(PAGE, 1));
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    await handle.close();
  }
}

async function startOnTmpfs(): Promise<{ runner: RunnerHandle; runId: string }> {
  const runner = await startRunner({ stateDir: path.join(mountPoint, `state-${Date.now()}`) });
  const created = await runner.api('POST', '/api/runs', { runbook: 'runner-fixture', operator: 'ana' });
  expect(created.status, created.body).toBe(201);
  return { runner, runId: (created.json() as { id: string }).id };
}

const view = async (runner: RunnerHandle, runId: string) =>
  (await runner.api('GET', `/api/runs/${runId}`)).json() as {
    runningStep: string | null;
    notes: { text: string }[];
    steps: { id: string; status: string; message: string | null; exitCode: number | null }[];
  };

describe('a state dir on a full disk', () => {
  it('answers 507 to a Run whose start cannot be written and to notes, spawns nothing, and keeps the journal valid', async ({
    skip,
  }) => {
    if (!mounted) skip();
    const { runner, runId } = await startOnTmpfs();
    try {
      await fillDisk(runner, runId, 40);
      const refused = await runner.api('POST', `/api/runs/${runId}/steps/touch-marker/run`, {
        stepHash: stepHash(runner, 'touch-marker'),
      });
      expect(refused.status).toBe(507);
      expect(refused.json()).toMatchObject({ code: 'STORAGE_FAILED', message: expect.stringContaining('ENOSPC') });
      for (const text of ['first lost note', 'second lost note']) {
        const note = await runner.api('POST', `/api/runs/${runId}/notes`, { text });
        expect(note.status).toBe(507);
      }
      const state = await view(runner, runId);
      expect(state.runningStep).toBeNull();
      expect(state.steps.find((step) => step.id === 'touch-marker')?.status).toBe('pending');
      expect(runner.child.exitCode).toBeNull();
      await rm(filler());
      await runner.stop();
      const again = await startRunner({ stateDir: runner.stateDir });
      try {
        expect(again.logs()).not.toMatch(/damaged|torn/);
        const after = await view(again, runId);
        expect(after.notes.map((note) => note.text)).not.toContain('first lost note');
        const run = await again.api('POST', `/api/runs/${runId}/steps/echo-word/run`, {
          stepHash: stepHash(again, 'echo-word'),
        });
        expect(run.status).toBe(202);
      } finally {
        await again.stop();
      }
    } finally {
      await rm(filler(), { force: true });
      await runner.stop();
    }
  });

  it('stays up when the step log cannot be written, and fails the step with the reason', async ({ skip }) => {
    if (!mounted) skip();
    const { runner, runId } = await startOnTmpfs();
    try {
      await fillDisk(runner, runId, 3000);
      const run = await runner.api('POST', `/api/runs/${runId}/steps/echo-word/run`, {
        stepHash: stepHash(runner, 'echo-word'),
      });
      expect(run.status).toBe(202);
      let step: { status: string; message: string | null } | undefined;
      for (let tries = 0; tries < 100; tries++) {
        expect(runner.child.exitCode, runner.logs()).toBeNull();
        step = (await view(runner, runId)).steps.find((item) => item.id === 'echo-word');
        if (step?.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(step).toMatchObject({ status: 'failed', message: expect.stringContaining('ENOSPC') });
      expect(runner.logs()).not.toContain("Unhandled 'error' event");
    } finally {
      await rm(filler(), { force: true });
      await runner.stop();
    }
  });
});
