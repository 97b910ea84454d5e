import { execa } from 'execa';
import { coerce, satisfies } from 'semver';

export interface ToolCheck {
  passed: boolean;
  detail: string;
  fix: string | null;
}

// Ways tools print their version, tried in order: kubectl wants `version --client` (plain
// `version` would call the cluster), most others `--version` or `version`.
const VERSION_ARGS = [['version', '--client'], ['--version'], ['version']];
const TIMEOUT_MS = 5000;

// Finds a tool on the step's PATH and, when the runbook names a range, checks its version.
export async function checkTool(
  tool: { name: string; version?: string },
  env: Record<string, string | undefined>,
): Promise<ToolCheck> {
  const range = tool.version;
  for (const args of VERSION_ARGS) {
    const result = await execa(tool.name, args, {
      env,
      extendEnv: false,
      reject: false,
      timeout: TIMEOUT_MS,
      stdin: 'ignore',
    });
    if ((result as { code?: string }).code === 'ENOENT' || result.exitCode === 127) {
      return {
        passed: false,
        detail: 'not found on PATH',
        fix: `install ${tool.name}${range ? ` (${range})` : ''} and put it on PATH`,
      };
    }
    if (result.exitCode !== 0) continue;
    const found = coerce(`${result.stdout}\n${result.stderr}`, { loose: true });
    if (!range) return { passed: true, detail: found ? `found, version ${found.version}` : 'found', fix: null };
    if (!found) continue;
    if (satisfies(found, range, { includePrerelease: true })) {
      return { passed: true, detail: `version ${found.version} satisfies ${range}`, fix: null };
    }
    return {
      passed: false,
      detail: `version ${found.version} does not satisfy ${range}`,
      fix: `install ${tool.name} ${range} first on PATH`,
    };
  }
  return range
    ? {
        passed: false,
        detail: 'found, but its version could not be read',
        fix: `check that ${tool.name} --version works`,
      }
    : { passed: true, detail: 'found', fix: null };
}
