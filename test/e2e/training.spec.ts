import { expect, test } from '@playwright/test';
import { api, openRunbook, runStep, startRun, step } from './runner-page.ts';

const HINT = 'The output says state: starting. The service is still coming up, not broken.';

test('a training run: explained steps, a hint after a failed check, a re-run and the trainee report', async ({
  page,
}) => {
  await openRunbook(page, 'training-tutorial');
  await page.getByLabel('Mode').selectOption('training');
  await expect(page.locator('[data-mode-help]')).toContainText('offers its hint');
  const runId = await startRun(page);

  // Before it runs, the next step is marked and says what it is for.
  const start = step(page, 'start-service');
  await expect(start).toHaveAttribute('data-training-current', '');
  await expect(start.locator('[data-training-brief]')).toBeVisible();
  await expect(start.locator('[data-training-brief]')).toContainText('Starting is not the same as ready');
  await expect(page.locator('[data-training-next]')).toHaveAttribute('data-training-next', 'start-service');
  await runStep(page, 'start-service');

  const health = step(page, 'check-health');
  await expect(start).not.toHaveAttribute('data-training-current');
  await expect(health).toHaveAttribute('data-training-current', '');
  await expect(health.locator('[data-training-brief]')).toContainText(
    'A health check tells you whether the previous step worked',
  );
  await expect(start.locator('[data-training-brief]')).toBeHidden();
  await expect(start.locator('.db-block-body [data-explain]')).toBeVisible();

  // The check fails at the first attempt: its hint is a click away, and the click is recorded.
  await runStep(page, 'check-health', 'Failed');
  const check = health.locator('.db-check[data-check="the service reports ready"]');
  await expect(check).toHaveAttribute('data-state', 'failed');
  await expect(check.locator('[data-check-hint]')).toBeHidden();
  await check.getByRole('button', { name: 'Show hint' }).click();
  await expect(check.locator('[data-check-hint]')).toBeVisible();
  await expect(check.locator('[data-check-hint]')).toContainText(HINT);
  await expect(check.getByRole('button', { name: 'Show hint' })).toBeHidden();
  const recorded = await api<{ totals: { hintsUsed: number } }>(`/runs/${runId}/trainee-report`);
  expect(recorded.totals.hintsUsed).toBe(1);

  // A reload keeps the hint that was shown (the event stream replays it).
  await page.reload();
  await expect(check.locator('[data-check-hint]')).toBeVisible();

  await runStep(page, 'check-health');
  await expect(check).toHaveAttribute('data-state', 'passed');

  // A step without an <Explain> is explained by its own prose.
  const stop = step(page, 'stop-service');
  await expect(stop).toHaveAttribute('data-training-current', '');
  await expect(stop.locator('[data-training-brief]')).toContainText('Stops the pretend service');
  await expect(stop.locator('.db-training-prose').first()).toBeVisible();
  await runStep(page, 'stop-service');
  await expect(stop.locator('.db-block-body > p')).toContainText('Stops the pretend service');

  await page.getByRole('button', { name: 'Complete run' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Complete run' }).click();
  const report = page.locator('[data-trainee-report]');
  await expect(report).toBeVisible();
  await expect(report.locator('[data-total="reruns"] dd')).toHaveText('1');
  await expect(report.locator('[data-total="hints"] dd')).toHaveText('1');
  await expect(report.locator('[data-total="first-attempt"] dd')).toHaveText('2 of 3');
  await expect(report.locator('[data-total="done"] dd')).toHaveText('3 of 3');
  await expect(report.locator('[data-total="skips"] dd')).toHaveText('0');
  await expect(report.locator('[data-trainee-step="check-health"]')).toContainText('the service reports ready');
  await expect(report.locator('[data-trainee-step="check-health"] td').nth(2)).toHaveText('2');
  await expect(page.locator('[data-training-current]')).toHaveCount(0);

  // Reopening the ended run shows the report again.
  await page.reload();
  await expect(page.locator('[data-trainee-report] [data-total="hints"] dd')).toHaveText('1');
});
