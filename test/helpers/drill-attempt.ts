import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { practiceDown } from '../../practice/cluster/lifecycle.ts';
import { type PracticeLayout, practiceLayout } from '../../practice/layout.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import { type DrillAttempt, DrillAttemptSchema } from '../../protocol/index.ts';
import { ROOT } from './fixtures.ts';

export interface DrillCommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The attempt the command recorded, if it got that far. */
  attempt: DrillAttempt | null;
}

export interface DrillStateDir {
  stateDir: string;
  /** The practice cluster the drills reset, as it is now. */
  layout(): PracticeLayout;
  /** `npm run drill -- drill NAME --operator trainee …` in this state folder. */
  drill(name: string, args?: string[], timeoutMs?: number): Promise<DrillCommandResult>;
  /** kubectl as the practice admin, on the cluster as the last drill left it. */
  kubectl(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

// One state folder per test file: each drill command resets its practice cluster, and the cluster
// is stopped and the folder deleted once the file is done.
export function useDrillStateDir(name: string): () => DrillStateDir {
  let stateDir = '';
  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), `drillbook-${name}-`));
  });
  afterAll(async () => {
    if (!stateDir) return;
    await practiceDown(practiceLayout(stateDir)).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  }, 60_000);
  // The command is stopped (SIGTERM, its run recorded as canceled) before the test's own timeout,
  // so a failure shows how far it got.
  const drill = async (drillName: string, args: string[] = [], timeoutMs = 200_000): Promise<DrillCommandResult> => {
    const result = await execa(
      'npm',
      ['run', '-s', 'drill', '--', 'drill', drillName, '--operator', 'trainee', ...args],
      {
        cwd: ROOT,
        reject: false,
        env: { DRILLBOOK_STATE_DIR: stateDir, HOME: stateDir },
        maxBuffer: 64 * 1024 * 1024,
        timeout: timeoutMs,
      },
    );
    return {
      code: result.exitCode ?? 1,
      stdout: result.stdout,
      stderr: result.stderr,
      attempt: await readAttempt(stateDir, result.stdout),
    };
  };
  const kubectl = async (args: string[]) => {
    const layout = practiceLayout(stateDir);
    const result = await execa(toolPaths().kubectl, ['--request-timeout=20s', ...args], {
      env: { KUBECONFIG: layout.kubeconfig, HOME: stateDir },
      reject: false,
    });
    return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
  };
  return () => ({ stateDir, layout: () => practiceLayout(stateDir), drill, kubectl });
}

async function readAttempt(stateDir: string, stdout: string): Promise<DrillAttempt | null> {
  const id = /^Attempt (\S+) recorded/m.exec(stdout)?.[1];
  if (!id) return null;
  const folders = await readdir(path.join(stateDir, 'drills'));
  if (!folders.includes(id)) throw new Error(`attempt ${id} is not in ${stateDir}/drills`);
  return DrillAttemptSchema.parse(
    JSON.parse(await readFile(path.join(stateDir, 'drills', id, 'attempt.json'), 'utf8')),
  );
}

/** The command's output, for a failed expectation's message. */
export function describeDrill(result: DrillCommandResult): string {
  return `exit ${result.code}\n--- stdout (last 6000) ---\n${result.stdout.slice(-6000)}\n--- stderr (last 3000) ---\n${result.stderr.slice(-3000)}`;
}
