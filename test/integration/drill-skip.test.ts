import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/run-script.ts';

const run = promisify(execFile);

let stateDir: string;
beforeAll(async () => {
  stateDir = await tempDir('drillbook-drill-skip-');
});

async function drill(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'drill', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, DRILLBOOK_STATE_DIR: stateDir },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const BASE = ['run', 'getting-started', '--param', 'slowSeconds=1', '--choose', 'releaseName=etcd-new'];

describe('npm run drill -- run … --skip', () => {
  it('skips the named steps with their reasons recorded, and runs the rest', async () => {
    const record = path.join(await tempDir('drillbook-record-'), 'run.json');
    const result = await drill([
      ...BASE,
      '--skip',
      'long-output=not needed today',
      '--skip',
      'record-ticket',
      '--skip',
      'clean-up=kept for the next lesson',
      '--record',
      record,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('- long-output skipped: not needed today');
    expect(result.stdout).toContain('- record-ticket skipped: skipped with --skip');
    expect(result.stdout).toContain('- clean-up skipped: kept for the next lesson');
    expect(result.stdout).toContain('✔ wait-for-ready succeeded');
    expect(result.stdout).not.toContain('✔ long-output succeeded');
    expect(result.stdout).not.toContain('cleaned up for');
    const exported = await readFile(record, 'utf8');
    expect(exported).toContain('kept for the next lesson');
  });

  it('refuses a --skip that names no step of the runbook', async () => {
    const result = await drill([...BASE, '--skip', 'no-such-step', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--skip names no step of getting-started: no-such-step');
    expect(result.stdout).not.toContain('inspect-kernel succeeded');
  });
});
