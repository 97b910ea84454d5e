import { execa } from 'execa';
import { ROOT } from './fixtures.ts';

export interface DrillResult {
  code: number;
  stdout: string;
  stderr: string;
}

// `npm run drill -- …` as CI types it, with its own state folder; `env` adds to this process's.
export async function runDrill(
  stateDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<DrillResult> {
  const result = await execa('npm', ['run', '-s', 'drill', '--', ...args], {
    cwd: ROOT,
    reject: false,
    env: { DRILLBOOK_STATE_DIR: stateDir, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}

// The id of the run a `drill run` created or continued, from its first line.
export function runIdOf(stdout: string): string {
  const id = /^Run (\S+) (?:created|continued):/m.exec(stdout)?.[1];
  if (!id) throw new Error(`no run id in the drill output:\n${stdout.slice(0, 2000)}`);
  return id;
}
