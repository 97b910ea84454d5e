import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportRecord } from '../../protocol/index.ts';
import { runDrill } from '../helpers/drill-cli.ts';
import { tempDir } from '../helpers/run-script.ts';

let stateDir: string;
beforeAll(async () => {
  stateDir = await tempDir('drillbook-drill-resume-');
});
const drill = (args: string[]) => runDrill(stateDir, args);

describe('npm run drill -- run … --skip and --resume', () => {
  it('skips with a recorded reason, stops at an unanswered manual step, and --resume goes on from there', async () => {
    const first = await drill([
      'run',
      'getting-started',
      '--param',
      'slowSeconds=1',
      '--choose',
      'releaseName=etcd-new',
      '--skip',
      'slow-step=not in this test',
    ]);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('✔ inspect-kernel succeeded');
    expect(first.stdout).not.toContain('slow-step succeeded');
    expect(first.stderr).toContain('step "record-ticket"');
    const runId = /drill: run (\S+) stays open: continue it with --resume \1/.exec(first.stderr)?.[1];
    expect(runId, first.stderr).toBeDefined();

    const record = path.join(await tempDir('drillbook-record-'), 'run.json');
    const second = await drill([
      'run',
      'getting-started',
      '--resume',
      runId as string,
      '--ack',
      'record-ticket=OPS-7',
      '--yes',
      '--record',
      record,
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`Run ${runId} continued`);
    expect(second.stdout).not.toContain('inspect-kernel');
    expect(second.stdout).toContain('cleaned up for OPS-7');
    const exported = JSON.parse(await readFile(record, 'utf8')) as ExportRecord;
    expect(exported.summary.outcome).toBe('completed');
    expect(JSON.stringify(exported)).toContain('not in this test');
  }, 180_000);

  it('refuses --param with --resume, an unknown step and a run of another runbook', async () => {
    const withParam = await drill(['run', 'getting-started', '--resume', 'x', '--param', 'a=b']);
    expect(withParam.code).toBe(2);
    expect(withParam.stderr).toContain('give no --param');
    const unknown = await drill(['run', 'getting-started', '--resume', 'no-such-run']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run "no-such-run"');
    const typo = await drill(['run', 'getting-started', '--param', 'slowSeconds=1', '--skip', 'no-such-step']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('no step "no-such-step" in getting-started');
  }, 120_000);
});
