// `npm start`: build the site when a source is newer than the last build, then run the runner
// (opening a browser when there is a desktop). Ctrl-C stops the runner cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNNER_NODE_FLAGS } from '../runner/config.ts';
import { RunbookBuildError } from '../site/compiler/diagnostics.ts';
import { compileContent } from '../site/integration/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['content', 'site', 'protocol', 'common', 'astro.config.mjs', 'package.json'];
const manifest = path.join(root, 'dist/drillbook/manifest.json');

function newestChange(entry: string): number {
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(entry).reduce(
    (newest, name) => Math.max(newest, newestChange(path.join(entry, name))),
    info.mtimeMs,
  );
}

function isBuildStale(): boolean {
  if (!existsSync(manifest)) return true;
  const built = statSync(manifest).mtimeMs;
  return SOURCES.some((source) => existsSync(path.join(root, source)) && newestChange(path.join(root, source)) > built);
}

// Builds the site; false when a runbook or drill is invalid (its problems printed) or Astro failed.
async function buildSite(): Promise<boolean> {
  console.log('Building the site (a source changed since the last build)…');
  try {
    await compileContent(root, { runbooksDir: 'content/runbooks', drillsDir: 'content/drills' });
  } catch (error) {
    if (!(error instanceof RunbookBuildError)) throw error;
    console.error(`\n${error.message}\n`);
    return false;
  }
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  return build.status === 0;
}

// A broken edit does not keep the operator from the runbooks that were built: the last good
// build (site and manifest together) is served, and the terminal says so.
if (isBuildStale() && !(await buildSite())) {
  if (!existsSync(manifest)) {
    console.error('The site could not be built, and there is no earlier build to serve. Fix the problems above.');
    process.exit(1);
  }
  const builtAt = statSync(manifest).mtime.toLocaleString();
  console.error(
    `The site was not rebuilt: serving the last good build (${builtAt}), without your latest changes.\n` +
      'Fix the problems above (npm run lint:runbooks checks them) and run npm start again.\n',
  );
}

const hasDesktop = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.env.CI;
const runner = spawn(
  process.execPath,
  [
    ...RUNNER_NODE_FLAGS,
    path.join(root, 'runner/main.ts'),
    ...(hasDesktop ? ['--open'] : []),
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
// The terminal sends Ctrl-C to the runner too; this process only waits for it to finish.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => runner.kill(signal));
runner.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
