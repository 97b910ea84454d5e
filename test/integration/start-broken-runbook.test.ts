import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.ts';

// A copy of the product whose content has one broken runbook, beside the last good build.
let copy = '';

beforeAll(async () => {
  copy = await mkdtemp(path.join(os.tmpdir(), 'drillbook-start-'));
  for (const shared of [
    'runner',
    'site',
    'protocol',
    'common',
    'practice',
    'node_modules',
    'package.json',
    'astro.config.mjs',
  ])
    await symlink(path.join(ROOT, shared), path.join(copy, shared));
  await cp(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
  await mkdir(path.join(copy, 'dist/drillbook'), { recursive: true });
  await cp(path.join(ROOT, 'content'), path.join(copy, 'content'), { recursive: true });
  await writeFile(
    path.join(copy, 'dist/drillbook/manifest.json'),
    JSON.stringify({ schemaVersion: 1, runbooks: [], drills: [] }),
  );
  const longAgo = new Date('2020-01-01T00:00:00Z');
  await utimes(path.join(copy, 'dist/drillbook/manifest.json'), longAgo, longAgo);
  await writeFile(
    path.join(copy, 'content/runbooks/zz-broken.mdx'),
    '---\ntitle: Broken\nsummary: x\nsystem: etcd\n---\n\n<Step id="a" title="A">\n\n```bash\necho hi\n```\n\n</Step>\n',
  );
});

afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

// Runs `npm start`'s script until it prints the runner's address or exits; stops it by PID.
function start(env: NodeJS.ProcessEnv): Promise<{ output: string; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(copy, 'bin/start.ts'), '--port', '0'], {
      cwd: copy,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm start neither served nor exited:\n${output}`));
    }, 60_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Open http:\/\/127\.0\.0\.1:\d+\/#token=/.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ output, exitCode });
    });
  });
}

describe('npm start with a broken runbook', () => {
  it('prints the problem with file, line and hint, no stack trace, and serves the last good build', async () => {
    const { output } = await start({ DRILLBOOK_STATE_DIR: path.join(copy, 'state') });
    expect(output).toContain('content/runbooks/zz-broken.mdx:7:1 error invalid-props: <Step> needs risk');
    expect(output).toContain('hint: add risk="read"');
    expect(output).not.toMatch(/Stack trace|\n\s+at /);
    expect(output).toMatch(/serving the last good build/);
    expect(output).toMatch(/Open http:\/\/127\.0\.0\.1:\d+\/#token=/);
  }, 90_000);

  it('exits with the problem when there is no earlier build to serve', async () => {
    await rm(path.join(copy, 'dist'), { recursive: true, force: true });
    const { output, exitCode } = await start({ DRILLBOOK_STATE_DIR: path.join(copy, 'state') });
    expect(exitCode).toBe(1);
    expect(output).toContain('zz-broken.mdx:7:1');
    expect(output).toContain('there is no earlier build to serve');
    expect(output).not.toContain('#token=');
  }, 90_000);
});
