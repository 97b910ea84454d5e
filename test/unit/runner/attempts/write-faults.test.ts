import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEventRecord } from '../../../../protocol/index.ts';
import { printProgress } from '../../../../runner/headless/print-progress.ts';
import { viewRun } from '../../../../runner/runs/run-view.ts';
import { JournalRunStore } from '../../../../runner/store/journal-run-store.ts';
import { stepBlock } from '../../../helpers/fixtures.ts';
import { scriptedExecutor, serviceFor } from '../../../helpers/run-service.ts';

// What fs gives a write on a full disk.
const enospc = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

// A step log on a full disk: every write fails as fs fails it.
const fullDiskLog = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback(enospc());
    },
  });

// The real journal, except that output events cannot be written (the disk filled mid-step).
function storeLosingOutput(stateDir: string, failLog: boolean): JournalRunStore {
  const store = new JournalRunStore(stateDir);
  const append = store.append.bind(store);
  store.append = (record, options) =>
    record.event.type === 'output' ? Promise.reject(enospc()) : append(record, options);
  if (failLog) store.openStepLog = () => fullDiskLog();
  return store;
}

const RUNBOOK = stepBlock('echo hello', 'id="work" title="Work" risk="read"');
const printing = (exitCode: number) =>
  scriptedExecutor(async (request) => {
    await request.onOutput('stdout', Buffer.from('hello\n'));
    return { exitCode };
  });

async function runOnFullDisk(options: { exitCode: number; failLog: boolean }) {
  const harness = await serviceFor(RUNBOOK, {
    executor: printing(options.exitCode),
    store: (dir) => storeLosingOutput(dir, options.failLog),
  });
  const runId = await harness.start();
  await harness.run(runId, 'work');
  const runtime = harness.service.get(runId);
  const finished = runtime.records.find((record) => record.event.type === 'step-finished') as RunEventRecord;
  return { harness, runtime, finished };
}

describe('a step whose output the runner cannot write (ENOSPC)', () => {
  it('fails saying what could not be written and why, and claims no exit code', async () => {
    const { finished, runtime, harness } = await runOnFullDisk({ exitCode: 0, failLog: true });
    expect(finished.event).toMatchObject({ outcome: 'failed', exitCode: null });
    const message = (finished.event as { message: string }).message;
    expect(message).toMatch(/^the runner could not write the step's output: /);
    expect(message).toContain('its log work.1.log could not be written (ENOSPC: no space left on device)');
    expect(message).toContain('1 output events could not be recorded (ENOSPC: no space left on device)');
    expect(message).toMatch(/the command itself exited with code 0$/);
    const step = viewRun(runtime, harness.service.manifest.findRunbook('service')).steps[0];
    expect(step).toMatchObject({ status: 'failed', exitCode: null, message });
  });

  it('says so when only the journal refused the output', async () => {
    const { finished } = await runOnFullDisk({ exitCode: 0, failLog: false });
    expect(finished.event).toMatchObject({
      outcome: 'failed',
      exitCode: null,
      message: expect.stringMatching(/^the runner could not write the step's output: 1 output events could not/),
    });
  });

  it('keeps the exit code of a command that failed on its own, with the write failure after it', async () => {
    const { finished } = await runOnFullDisk({ exitCode: 3, failLog: true });
    expect(finished.event).toMatchObject({
      outcome: 'failed',
      exitCode: 3,
      message: expect.stringMatching(/^exited with code 3; the runner could not write the step's output: .*ENOSPC/),
    });
  });

  it('is printed by the headless runner with its reason and without "(exit 0)"', async () => {
    const { finished, harness } = await runOnFullDisk({ exitCode: 0, failLog: true });
    let out = '';
    const print = printProgress(harness.service.manifest.runbook('service'), '/logs', {
      out: (text) => {
        out += text;
      },
      err: () => {},
    });
    print(finished);
    print({
      ...finished,
      event: { type: 'output-truncated', stepId: 'work', attempt: 1, shownBytes: 0, logFile: 'work.1.log', tail: '' },
    });
    expect(out).toMatch(
      /✘ work failed in \d+\.\ds: the runner could not write the step's output: .*ENOSPC: no space left on device/,
    );
    expect(out).not.toContain('(exit');
    expect(out).not.toContain('ended with');
  });
});
