import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import YAML from 'yaml';
import { ROOT } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/run-script.ts';
import { type RunnerHandle, startRunner } from '../helpers/runner-process.ts';
import { step } from './runner-page.ts';

// A runner whose only context is labelled production (its server does not exist: preflight finds
// it unreachable, and the operator overrides that to reach the destructive step).
let runner: RunnerHandle;

test.beforeAll(async () => {
  const stateDir = await tempDir('drillbook-e2e-prod-');
  const kubeconfig = path.join(stateDir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    YAML.stringify({
      clusters: [{ name: 'prod-eu-cluster', cluster: { server: 'https://prod-eu.invalid:6443' } }],
      users: [{ name: 'ana', user: { token: 'not-a-real-token' } }],
      contexts: [{ name: 'prod-eu', context: { cluster: 'prod-eu-cluster', user: 'ana', namespace: 'etcd' } }],
      'current-context': 'prod-eu',
    }),
  );
  await writeFile(path.join(stateDir, 'environments.yaml'), 'contexts:\n  prod-eu: production\n');
  runner = await startRunner({
    stateDir,
    manifestFile: path.join(ROOT, 'dist/drillbook/manifest.json'),
    siteDir: path.join(ROOT, 'dist'),
    env: { KUBECONFIG: kubeconfig },
  });
});
test.afterAll(() => runner?.stop());

const open = (page: Page) =>
  page.goto(`http://127.0.0.1:${runner.port}/runbooks/getting-started/#token=${runner.token}`);

test('production is on every step, and a destructive step needs the cluster name typed', async ({ page }) => {
  await open(page);
  await expect(page.locator('[data-context-preview] .db-target')).toHaveAttribute('data-environment', 'production');
  await page.getByLabel('Operator').fill('Ana Operator');
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\?run=/);

  const banner = page.locator('[data-run-target]');
  await expect(banner).toHaveAttribute('data-environment', 'production');
  await expect(banner).toContainText('PRODUCTION');
  await expect(banner).toContainText('prod-eu · https://prod-eu.invalid:6443 · user ana · namespace etcd');
  const cleanUp = step(page, 'clean-up');
  await expect(cleanUp.locator('[data-step-target]')).toHaveAttribute('data-environment', 'production');
  await expect(cleanUp.locator('[data-action="run"]')).toBeDisabled();

  const failed = page.locator('[data-preflight="cluster"]');
  await expect(failed).toHaveAttribute('data-state', 'failed');
  await failed.getByRole('button', { name: 'Override…' }).click();
  await page.getByRole('dialog').getByLabel('Why run on anyway').fill('rehearsal: the steps work in a scratch folder');
  await page.getByRole('dialog').getByRole('button', { name: 'Override' }).click();
  await expect(failed).toHaveAttribute('data-state', 'overridden');

  const manual = step(page, 'record-ticket');
  await manual.getByLabel('Ticket id').fill('OPS-7');
  await manual.getByRole('button', { name: 'Mark as done' }).click();
  await expect(manual.locator('[data-status]')).toHaveText('Done');

  await cleanUp.locator('[data-action="run"]').click();
  const dialog = page.getByRole('dialog');
  const typed = dialog.locator('[data-confirm-cluster]');
  await expect(dialog).toContainText('PRODUCTION');
  await typed.fill('prod-eu');
  await dialog.getByRole('button', { name: 'Run destructive step' }).click();
  await expect(dialog).toBeVisible();
  await typed.fill('prod-eu-cluster');
  await dialog.getByRole('button', { name: 'Run destructive step' }).click();
  await expect(cleanUp.locator('[data-status]')).toContainText('Succeeded');
});

test('training refuses a production context', async ({ page }) => {
  await open(page);
  await page.getByLabel('Operator').fill('Ana Operator');
  await page.getByLabel('Mode').selectOption('training');
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByRole('alert')).toContainText('training mode refuses context "prod-eu"');
  await expect(page).not.toHaveURL(/\?run=/);
});
