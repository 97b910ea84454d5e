import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Manifest, RunView } from '../../protocol/index.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/run-script.ts';
import { type RunnerHandle, startRunner, stepHash } from '../helpers/runner-process.ts';

const SITE = path.join(ROOT, 'dist');
const MANIFEST = path.join(SITE, 'drillbook/manifest.json');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// The built manifest as it was before an edit of the tutorial's first step.
async function writeOlderManifest(file: string): Promise<void> {
  const manifest = JSON.parse(await readFile(MANIFEST, 'utf8')) as Manifest;
  const runbook = manifest.runbooks.find((item) => item.slug === 'getting-started') as Manifest['runbooks'][number];
  const step = runbook.steps.find((item) => item.id === 'inspect-kernel');
  if (step?.kind !== 'command') throw new Error('inspect-kernel is a command step');
  step.script = 'uname -r';
  step.hash = sha256(`older ${step.hash}`);
  runbook.contentHash = sha256(`older ${runbook.contentHash}`);
  await writeFile(file, JSON.stringify(manifest));
}

async function createRun(runner: RunnerHandle, operator: string): Promise<string> {
  const created = await runner.api('POST', '/api/runs', { runbook: 'getting-started', operator });
  expect(created.status, created.body).toBe(201);
  return (created.json() as RunView).id;
}

let runner: RunnerHandle | undefined;
test.afterEach(async () => {
  await runner?.stop();
});

test('the runs page filters runs and shows what changed since a run made before a runbook edit', async ({ page }) => {
  const stateDir = await tempDir('drillbook-e2e-history-');
  const older = path.join(await tempDir('drillbook-e2e-manifest-'), 'manifest.json');
  await writeOlderManifest(older);
  const first = await startRunner({ stateDir, manifestFile: older, siteDir: SITE });
  runner = first;
  const oldRun = await createRun(first, 'Olga Older');
  const ran = await first.api('POST', `/api/runs/${oldRun}/steps/inspect-kernel/run`, {
    stepHash: stepHash(first, 'inspect-kernel', 'getting-started'),
  });
  expect(ran.status, ran.body).toBe(202);
  await expect
    .poll(async () => ((await first.api('GET', `/api/runs/${oldRun}`)).json() as RunView).steps[0]?.status)
    .toBe('succeeded');
  await first.stop();

  runner = await startRunner({ stateDir, manifestFile: MANIFEST, siteDir: SITE });
  const newRun = await createRun(runner, 'Nina Newer');
  expect((await runner.api('POST', `/api/runs/${newRun}/abandon`, {})).status).toBe(204);
  await page.goto(`http://127.0.0.1:${runner.port}/runs/#token=${runner.token}`);

  const oldItem = page.locator(`li[data-run="${oldRun}"]`);
  const newItem = page.locator(`li[data-run="${newRun}"]`);
  await expect(page.locator('[data-count]')).toHaveText('2 of 2 runs');
  await expect(oldItem).toContainText('active');
  await expect(newItem.locator('[data-outcome-label]')).toHaveText('abandoned');
  await expect(oldItem).toContainText(/\d+(\.\d+)? ?(ms|s|min)/);
  await expect(newItem.locator('[data-drift]')).toHaveCount(0);
  const drift = oldItem.locator('[data-drift-step="inspect-kernel"]');
  await expect(oldItem.locator('[data-drift]')).toContainText('1 step differ');
  await drift.locator('summary').click();
  await expect(drift.locator('pre')).toContainText('-uname -r');
  await expect(drift.locator('pre')).toContainText('+uname -sr');

  const [exported] = await Promise.all([
    page.waitForEvent('download'),
    oldItem.locator('[data-export="json"]').click(),
  ]);
  const record = JSON.parse(await readFile(await exported.path(), 'utf8')) as { summary: { runId: string } };
  expect(record.summary.runId).toBe(oldRun);

  await page.getByLabel('Operator').fill('olga');
  await expect(page.locator('[data-count]')).toHaveText('1 of 2 runs');
  await expect(newItem).toHaveCount(0);
  await page.getByLabel('Operator').fill('');
  await page.getByLabel('Outcome').selectOption('abandoned');
  await expect(page.locator('li[data-run]')).toHaveCount(1);
  await expect(newItem).toBeVisible();
  await page.getByLabel('Outcome').selectOption('');
  await page.getByLabel('Environment').selectOption('none');
  await page.getByLabel('Runbook').selectOption('getting-started');
  await page.getByLabel('From').fill('2000-01-01');
  await expect(page.locator('li[data-run]')).toHaveCount(2);
  await page.getByLabel('To', { exact: true }).fill('2000-01-02');
  await expect(page.locator('li[data-run]')).toHaveCount(0);
});
