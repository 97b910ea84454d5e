import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './fixtures.ts';

const run = promisify(execFile);
const ASTRO = path.join(ROOT, 'node_modules/astro/bin/astro.mjs');

export interface BuildOutcome {
  exitCode: number;
  output: string;
  outDir: string;
}

// Runs the real `astro build` of this site over a folder of runbooks, into a fresh output folder.
export async function buildRunbooks(runbooksDir: string): Promise<BuildOutcome> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-dist-'));
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-cache-'));
  const env = {
    ...process.env,
    DRILLBOOK_RUNBOOKS_DIR: runbooksDir,
    DRILLBOOK_OUT_DIR: outDir,
    DRILLBOOK_CACHE_DIR: cacheDir,
    ASTRO_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [ASTRO, 'build'], {
      cwd: ROOT,
      env,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { exitCode: 0, output: stdout + stderr, outDir };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: failure.code ?? 1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`, outDir };
  }
}

// Copies chosen fixture files into a fresh folder, so a build sees exactly those runbooks.
export async function stageRunbooks(files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-runbooks-'));
  await Promise.all(files.map((file) => cp(file, path.join(dir, path.basename(file)))));
  return dir;
}
