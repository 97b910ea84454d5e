import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { PracticeError } from '../errors.ts';

export const CHARTS_DIR = path.resolve(import.meta.dirname, '..', 'charts');

// Packages every chart under practice/charts with the given helm and indexes them, so the
// folder can be served as a Helm repository. Chart URLs in the index are relative, which Helm
// resolves against the repository URL, so the port need not be known yet.
export async function packageCharts(helm: string, outDir: string): Promise<string[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const charts = (await readdir(CHARTS_DIR, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  for (const chart of charts) {
    await runHelm(helm, ['package', path.join(CHARTS_DIR, chart.name), '--destination', outDir]);
  }
  await runHelm(helm, ['repo', 'index', outDir]);
  return (await readdir(outDir)).filter((file) => file.endsWith('.tgz')).sort();
}

async function runHelm(helm: string, args: string[]): Promise<void> {
  const result = await execa(helm, args, { reject: false, stdin: 'ignore', env: helmEnv(), extendEnv: false });
  if (result.failed) {
    throw new PracticeError('COMMAND_FAILED', `helm ${args.join(' ')} failed: ${result.stderr || result.message}`, {
      cause: result,
    });
  }
}

// helm package and repo index read no user config; pointing Helm's homes at nothing keeps it so.
function helmEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' };
}
