import { execa } from 'execa';
import { coerce, type SemVer, satisfies } from 'semver';

export interface ToolCheck {
  passed: boolean;
  detail: string;
  fix: string | null;
}

// Ways tools print their version, tried in order: most take `--version`; kubectl wants
// `version --client` (plain `version` would call the cluster); etcdctl `version`.
const VERSION_ARGS = [['--version'], ['version', '--client'], ['version']];
/** A dotted version, so "base64 (GNU coreutils) 9.1" reads as 9.1, not 64. */
const DOTTED_VERSION = /(?<![\w.])v?(\d+\.\d+(?:\.\d+)?)(?![\w.]*\.\d)/;
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
    if ((result as { code?: string }).code === 'ENOENT') {
      return {
        passed: false,
        detail: 'not found on PATH',
        fix: `install ${tool.name}${range ? ` (${range})` : ''} and put it on PATH`,
      };
    }
    if (result.exitCode !== 0) continue;
    const found = readVersion(`${result.stdout}\n${result.stderr}`);
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

// The first dotted version a tool prints, as semver.
export function readVersion(text: string): SemVer | null {
  const dotted = DOTTED_VERSION.exec(text)?.[1];
  return dotted ? coerce(dotted) : null;
}
