import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { api, openRunbook, runStep, startRun, step } from './runner-page.ts';

const MASK = '••••••••';
const PASSWORD = /tutorial-[0-9a-f]{12}/;

test('the tutorial, from a fresh run to an exported record', async ({ page }) => {
  await openRunbook(page);
  await expect(page.getByRole('heading', { name: 'Start a run' })).toBeVisible();
  const runId = await startRun(page);

  await runStep(page, 'inspect-kernel');
  await expect(page.locator('p var[data-var="kernelVersion"]')).toHaveText(/^\d+\.\d+$/);

  await runStep(page, 'describe-service');
  await expect(step(page, 'describe-service').locator('.db-check')).toHaveAttribute('data-state', 'passed');

  // Several rows match: the operator picks one, and it flows into the next step's command.
  await runStep(page, 'list-releases');
  await step(page, 'list-releases').getByRole('button', { name: 'etcd-new' }).click();
  await expect(page.locator('p var[data-var="releaseName"]')).toHaveText('etcd-new');
  await expect(step(page, 'use-values').locator('pre var[data-var="releaseName"]')).toHaveText('etcd-new');

  // The secret is masked in the output, the values panel and the commands that use it.
  await runStep(page, 'read-password');
  await expect(step(page, 'read-password').locator('[data-output]')).toContainText(`"password": "${MASK}"`);
  await expect(page.locator('[data-value="rootPassword"] .db-value-text')).toHaveText(MASK);
  await expect(step(page, 'use-values').locator('pre var[data-var="rootPassword"]')).toHaveText(MASK);
  expect(await page.content()).not.toMatch(PASSWORD);

  await runStep(page, 'use-values');
  const checks = step(page, 'use-values').locator('.db-check');
  await expect(checks.first()).toHaveAttribute('data-state', 'passed');

  // A failing check: override the greeting and run the step again.
  await page.locator('[data-value="greeting"]').getByRole('button', { name: 'Override greeting' }).click();
  await page.getByLabel('New value').fill('howdy');
  await page.getByLabel('Why (recorded with the run)').fill('try a failing check');
  await page.getByRole('button', { name: 'Override', exact: true }).click();
  await expect(page.locator('[data-value="greeting"] .db-value-text')).toHaveText('howdy');
  await runStep(page, 'use-values');
  await expect(checks.first()).toHaveAttribute('data-state', 'failed');
  await expect(checks.first().locator('.db-check-status')).toContainText('Failed');

  await runStep(page, 'wait-for-ready');
  await expect(step(page, 'wait-for-ready').locator('.db-check')).toHaveAttribute('data-state', 'passed');

  // The manual step takes a validated value.
  const manual = step(page, 'record-ticket');
  await manual.getByLabel('Ticket id').fill('OPS-1234');
  await manual.getByRole('button', { name: 'Mark as done' }).click();
  await expect(manual.locator('[data-status]')).toHaveText('Done');

  // The destructive step shows the exact command before it runs.
  await step(page, 'clean-up').locator('[data-action="run"]').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator('[data-confirm-command]')).toHaveText(
    'rm -f -- heartbeats.log\necho "cleaned up for OPS-1234"',
  );
  await dialog.getByRole('button', { name: 'Run destructive step' }).click();
  await expect(step(page, 'clean-up').locator('[data-status]')).toContainText('Succeeded');

  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export Markdown' }).click(),
  ]);
  const record = await readFile(await markdown.path(), 'utf8');
  expect(record).toContain(`run ${runId}`);
  expect(record).toContain('echo "cleaned up for OPS-1234"');
  expect(record).toContain('| rootPassword | (secret) | capture |');
  expect(record).not.toMatch(PASSWORD);
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const exported = JSON.parse(await readFile(await json.path(), 'utf8')) as {
    schemaVersion: number;
    summary: { runId: string };
  };
  expect(exported).toMatchObject({ schemaVersion: 2, summary: { runId } });

  // The HTML record reads offline: opened from disk, it asks the network for nothing.
  const [html] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export HTML' }).click(),
  ]);
  const recordPage = await page.context().newPage();
  const requests: string[] = [];
  recordPage.on('request', (request) => requests.push(request.url()));
  const htmlFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'drillbook-e2e-')), html.suggestedFilename());
  await html.saveAs(htmlFile);
  await recordPage.goto(`file://${htmlFile}`);
  await expect(recordPage.getByRole('heading', { level: 1 })).toHaveText(
    `Getting started with Drillbook: run ${runId}`,
  );
  await expect(recordPage.locator('[data-verification]')).toContainText('Journal head sha256');
  await expect(recordPage.locator('[data-summary]')).toContainText('Ana Operator');
  await expect(recordPage.locator('[data-values]')).toContainText(`rootPassword${MASK}capture`);
  await expect(recordPage.locator('section[data-step="clean-up"] pre.command')).toHaveText(
    'rm -f -- heartbeats.log\necho "cleaned up for OPS-1234"',
  );
  await expect(recordPage.locator('[data-timeline]')).toContainText('step-finished');
  await expect(recordPage.locator('section[data-step="list-releases"] pre.output')).toContainText('etcd-new');
  expect(await readFile(htmlFile, 'utf8')).not.toMatch(PASSWORD);
  expect(requests).toEqual([`file://${htmlFile}`]);
  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export PDF' }).click(),
  ]);
  expect((await readFile(await pdf.path())).subarray(0, 5).toString()).toBe('%PDF-');
});

test('canceling a long step, and a step whose inputs are missing', async ({ page }) => {
  await openRunbook(page);
  await startRun(page, { 'Seconds for the slow step': '120' });
  await expect(step(page, 'use-values').locator('[data-missing]')).toContainText('{{releaseName}}');
  await expect(step(page, 'use-values').locator('[data-action="run"]')).toBeDisabled();
  await step(page, 'slow-step').locator('[data-action="run"]').click();
  await expect(step(page, 'slow-step').locator('[data-output]')).toContainText('working… 1s');
  await step(page, 'slow-step').getByRole('button', { name: 'Cancel' }).click();
  await expect(step(page, 'slow-step').locator('[data-status]')).toContainText('Canceled');
});

test('reloading mid-run restores output, values and statuses; a second tab follows live', async ({ page, context }) => {
  await openRunbook(page);
  await startRun(page);
  await runStep(page, 'inspect-kernel');
  await page.reload();
  await expect(step(page, 'inspect-kernel').locator('[data-status]')).toContainText('Succeeded');
  await expect(step(page, 'inspect-kernel').locator('[data-output]')).toContainText('Linux');
  await expect(page.locator('p var[data-var="kernelVersion"]')).toHaveText(/^\d+\.\d+$/);

  const second = await context.newPage();
  await second.goto(page.url());
  await expect(step(second, 'inspect-kernel').locator('[data-status]')).toContainText('Succeeded');
  await runStep(page, 'describe-service');
  await expect(step(second, 'describe-service').locator('[data-status]')).toContainText('Succeeded');
  await expect(second.locator('[data-value="servicePort"] .db-value-text')).toHaveText('8080');
});

test('a very long output stays responsive, capped, with the full log a click away', async ({ page }) => {
  await openRunbook(page);
  await startRun(page);
  await runStep(page, 'long-output');
  const section = step(page, 'long-output');
  await expect(section.locator('[data-output]')).toContainText('1\n2\n3\n');
  await expect(section.locator('[data-truncated]')).toContainText('The output ended with: …');
  await expect(section.locator('[data-truncated]')).toContainText('100000');
  const started = Date.now();
  await section.locator('[data-action="skip"]').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(Date.now() - started).toBeLessThan(1000);
  await page.keyboard.press('Escape');
  const [log] = await Promise.all([
    page.waitForEvent('popup'),
    section.getByRole('button', { name: 'Open the full log' }).click(),
  ]);
  await expect(log.locator('body')).toContainText('99999\n100000');
});

test('the keyboard can run a step, and the runs page lists the run', async ({ page }) => {
  await openRunbook(page);
  const runId = await startRun(page);
  await step(page, 'inspect-kernel').locator('[data-action="run"]').focus();
  await page.keyboard.press('Enter');
  await expect(step(page, 'inspect-kernel').locator('[data-status]')).toContainText('Succeeded');
  await page.goto(`http://127.0.0.1:${process.env.DRILLBOOK_E2E_PORT}/runs/`);
  await expect(page.locator(`li[data-run="${runId}"]`)).toContainText('Getting started with Drillbook');
  await page.locator(`li[data-run="${runId}"] a`).click();
  await expect(step(page, 'inspect-kernel').locator('[data-status]')).toContainText('Succeeded');
  const runs = await api<{ id: string }[]>('/runs');
  expect(runs.map((run) => run.id)).toContain(runId);
});
