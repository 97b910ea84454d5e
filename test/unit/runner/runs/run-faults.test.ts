import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEventRecord } from '../../../../protocol/index.ts';
import { ManifestIndex } from '../../../../runner/manifest/manifest-index.ts';
import { recoverRuns } from '../../../../runner/runs/recover-runs.ts';
import { RunService } from '../../../../runner/runs/run-service.ts';
import { viewRun } from '../../../../runner/runs/run-view.ts';
import { type OpenJournalFile, openJournalFile } from '../../../../runner/store/journal-file.ts';
import { JournalRunStore } from '../../../../runner/store/journal-run-store.ts';
import type { RunStore } from '../../../../runner/store/run-store.ts';
import { stepBlock } from '../../../helpers/fixtures.ts';
import { scriptedExecutor, serviceFor } from '../../../helpers/run-service.ts';

const RUNBOOK = `${stepBlock('echo hello', 'id="work" title="Work" risk="read"')}`;

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

// The real journal on a disk that can be made full: appends then fail after writing half a line.
function fullableStore(stateDir: string, disk: { full: boolean }, stepLog?: () => Writable): RunStore {
  const openFile: OpenJournalFile = async (file) => {
    const real = await openJournalFile(file);
    return {
      ...real,
      async append(text) {
        if (!disk.full) return real.append(text);
        await real.append(text.slice(0, 10));
        throw enospc();
      },
    };
  };
  const store = new JournalRunStore(stateDir, { openFile });
  if (stepLog) store.openStepLog = () => stepLog();
  return store;
}

async function reloaded(stateDir: string, runId: string) {
  return new JournalRunStore(stateDir).load(runId);
}

describe('a write to the state dir that fails', () => {
  it('changes nothing, tells no one, and is an error; the journal takes the next write', async () => {
    const disk = { full: false };
    const { service, start, stateDir } = await serviceFor(RUNBOOK, { store: (dir) => fullableStore(dir, disk) });
    const runId = await start();
    const runtime = service.get(runId);
    const heard: RunEventRecord[] = [];
    runtime.subscribe((record) => heard.push(record));
    disk.full = true;
    await expect(service.note(runId, 'lost one')).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    await expect(service.note(runId, 'lost two')).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    expect(runtime.state.notes).toEqual([]);
    expect(heard).toEqual([]);
    expect(runtime.records).toHaveLength(1);
    disk.full = false;
    await service.note(runId, 'kept');
    expect(heard.map((record) => record.seq)).toEqual([2]);
    const loaded = await reloaded(stateDir, runId);
    expect(loaded).toMatchObject({ damagedAt: null, repairedTail: false });
    expect(loaded.records.map((record) => record.event.type)).toEqual(['run-created', 'note-added']);
  });

  it('refuses a Run whose start cannot be recorded, and spawns nothing', async () => {
    const disk = { full: false };
    const executor = scriptedExecutor(() => ({}));
    const { service, start, hashOf } = await serviceFor(RUNBOOK, {
      executor,
      store: (dir) => fullableStore(dir, disk),
    });
    const runId = await start();
    disk.full = true;
    await expect(service.runStep(runId, 'work', hashOf('work'))).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(executor.runs).toHaveLength(0);
    const runtime = service.get(runId);
    expect(runtime.running).toBeUndefined();
    expect(runtime.state.steps.get('work')).toBeUndefined();
    disk.full = false;
    expect(await service.runStep(runId, 'work', hashOf('work'))).toEqual({ attempt: 1 });
  });

  it('does not show a step as running when its end could not be recorded', async () => {
    const disk = { full: false };
    const executor = scriptedExecutor(() => {
      disk.full = true;
      return {};
    });
    const { service, start, hashOf, logs, stateDir } = await serviceFor(RUNBOOK, {
      executor,
      store: (dir) => fullableStore(dir, disk),
    });
    const runId = await start();
    await service.runStep(runId, 'work', hashOf('work'));
    await service.get(runId).running?.done;
    const runtime = service.get(runId);
    const step = viewRun(runtime, service.manifest.findRunbook('service')).steps.find((item) => item.id === 'work');
    expect(step).toMatchObject({ status: 'interrupted', message: expect.stringContaining('ENOSPC') });
    expect(runtime.running).toBeUndefined();
    expect(logs.join('\n')).toContain('ENOSPC');
    expect((await reloaded(stateDir, runId)).damagedAt).toBeNull();
  });

  it('survives a step log that cannot be written and fails the step with the reason', async () => {
    const failingLog = () =>
      new Writable({
        write(_chunk, _encoding, callback) {
          callback(enospc());
        },
      });
    const { service, start, hashOf } = await serviceFor(RUNBOOK, {
      store: (dir) => fullableStore(dir, { full: false }, failingLog),
    });
    const runId = await start();
    await service.runStep(runId, 'work', hashOf('work'));
    await service.get(runId).running?.done;
    expect(service.get(runId).state.steps.get('work')).toMatchObject({
      status: 'failed',
      exitCode: null,
      message: expect.stringMatching(/log work\.1\.log could not be written \(ENOSPC: no space left on device\)/),
    });
  });

  it('stops waiting for a log to drain when the log is closed', async () => {
    const stuckLog = () => {
      const log = new Writable({ highWaterMark: 1, write() {} });
      setTimeout(() => log.destroy(), 100);
      return log;
    };
    const { service, start, hashOf } = await serviceFor(
      stepBlock('head -c 200000 /dev/zero', 'id="work" title="Work" risk="read"'),
      { store: (dir) => fullableStore(dir, { full: false }, stuckLog) },
    );
    const runId = await start();
    await service.runStep(runId, 'work', hashOf('work'));
    await service.get(runId).running?.done;
    expect(service.get(runId).state.steps.get('work')?.status).toBe('failed');
  }, 10_000);
});

describe('a step cut short by a stop of the runner', () => {
  it('keeps how long it ran and offers its log', async () => {
    const executor = scriptedExecutor(async (request) => {
      await request.onOutput('stdout', Buffer.from('first\n'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await request.onOutput('stdout', Buffer.from('second\n'));
      return new Promise(() => {});
    });
    const { service, start, hashOf, stateDir } = await serviceFor(RUNBOOK, { executor });
    const runId = await start();
    await service.runStep(runId, 'work', hashOf('work'));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const store = new JournalRunStore(stateDir);
    const after = new RunService({ ...serviceOptions(service), store });
    await recoverRuns(store, after, 100);
    const step = viewRun(after.get(runId), after.manifest.findRunbook('service')).steps[0];
    expect(step).toMatchObject({ status: 'interrupted', logFile: 'work.1.log' });
    expect(step?.durationMs).toBeGreaterThanOrEqual(250);
    const logs = path.join(stateDir, 'runs', runId, 'logs');
    expect(await readdir(logs)).toContain('work.1.log');
    expect(await readFile(path.join(logs, 'work.1.log'), 'utf8')).toBe('first\nsecond\n');
  });
});

function serviceOptions(service: RunService) {
  return {
    manifest: new ManifestIndex({ schemaVersion: 1, runbooks: [...service.manifest.runbooks] }),
    executors: [],
    contexts: service.contexts,
    env: {},
    limits: { wireBytes: 1024, memoryBytes: 1024, tailBytes: 64 },
    graceMs: 100,
    log: () => {},
  };
}
