import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT } from '../helpers/fixtures.ts';
import { step } from './runner-page.ts';

// The README's first run, literally: `npm start`, open the address it prints, pick the tutorial in
// the catalog, start a run, run it to the end, export.
let started: ChildProcess | undefined;

test.afterEach(async () => {
  const child = started;
  started = undefined;
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
});

async function npmStart(): Promise<string> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-readme-'));
  const child = spawn('npm', ['start', '--', '--port', '0'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, CI: '1', DRILLBOOK_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started = child;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no address:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const address = /Open (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(output)?.[1];
      if (address) {
        clearTimeout(timer);
        resolve(address);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

test('the README first run: npm start, the catalog, the tutorial to its end, an export', async ({ page }) => {
  test.setTimeout(120_000);
  const address = await npmStart();
  await page.goto(address);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('link', { name: 'Getting started with Drillbook' }).click();
  await expect(page.getByRole('heading', { name: 'Start a run' })).toBeVisible();

  await page.getByLabel('Operator').fill('Ana Operator');
  await page.getByLabel('Seconds for the slow step', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\?run=/);
  const runId = new URL(page.url()).searchParams.get('run') as string;

  const run = async (id: string) => {
    await step(page, id).locator('[data-action="run"]').click();
    await expect(step(page, id).locator('[data-status]')).toContainText('Succeeded', { timeout: 60_000 });
  };
  await run('inspect-kernel');
  await run('describe-service');
  await step(page, 'list-releases').locator('[data-action="run"]').click();
  await step(page, 'list-releases').getByRole('button', { name: 'etcd-new' }).click();
  await expect(step(page, 'list-releases').locator('[data-status]')).toContainText('Succeeded');
  await run('read-password');
  await run('use-values');
  await run('wait-for-ready');
  await run('slow-step');
  await run('long-output');
  const manual = step(page, 'record-ticket');
  await manual.getByLabel('Ticket id').fill('OPS-42');
  await manual.getByRole('button', { name: 'Mark as done' }).click();
  await expect(manual.locator('[data-status]')).toHaveText('Done');
  await step(page, 'clean-up').locator('[data-action="run"]').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Run destructive step' }).click();
  await expect(step(page, 'clean-up').locator('[data-status]')).toContainText('Succeeded');

  await page.getByRole('button', { name: 'Complete run' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Complete run' }).click();
  await expect(page.locator('[data-run-status]')).toContainText('completed');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export Markdown' }).click(),
  ]);
  const record = await readFile(await download.path(), 'utf8');
  expect(record).toContain(`run ${runId}`);
  expect(record).toContain('Operator: Ana Operator');
  expect(record).toContain('(completed)');
  expect(record).toContain('echo "cleaned up for OPS-42"');
});

test('a dry run from the page shows each command with its values and exports a script', async ({ page }) => {
  const address = await npmStart();
  await page.goto(address);
  await page.getByRole('link', { name: 'Getting started with Drillbook' }).click();
  await page.getByLabel('Operator').fill('Ana Operator');
  await page.getByLabel('Mode').selectOption('dry-run');
  await expect(page.locator('[data-mode-help]')).toContainText('nothing is executed');
  await page.getByLabel('Greeting', { exact: true }).fill('howdy');
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\?run=/);

  const useValues = step(page, 'use-values');
  await expect(useValues.locator('[data-dry-run-command]')).toContainText('howdy');
  await expect(useValues.locator('[data-live-only]')).toContainText('{{releaseName}}');
  await expect(useValues.locator('[data-action="run"]')).toBeHidden();
  await expect(step(page, 'inspect-kernel').locator('[data-status]')).toHaveText('Dry run: not executed');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export script' }).click(),
  ]);
  const script = await readFile(await download.path(), 'utf8');
  expect(script).toMatch(/^#!\/usr\/bin\/env bash\n/);
  expect(script).toContain("DRILLBOOK_VAR_greeting='howdy'");
});
