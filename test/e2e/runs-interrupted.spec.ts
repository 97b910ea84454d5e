import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT } from '../helpers/fixtures.ts';
import { stateOfAKilledRunner } from '../helpers/interrupted-run.ts';
import { type RunnerHandle, startRunner } from '../helpers/runner-process.ts';

const SITE = path.join(ROOT, 'dist');
const MANIFEST = path.join(SITE, 'drillbook/manifest.json');

let runner: RunnerHandle | undefined;
test.afterEach(async () => {
  await runner?.stop();
});

test('the runs page shows a run a runner stop cut short as interrupted, and abandons it from its row', async ({
  page,
}) => {
  const { stateDir, runId } = await stateOfAKilledRunner(MANIFEST, 'getting-started', 'inspect-kernel');
  runner = await startRunner({ stateDir, manifestFile: MANIFEST, siteDir: SITE });
  await page.goto(`http://127.0.0.1:${runner.port}/runs/#token=${runner.token}`);

  const row = page.locator(`li[data-run="${runId}"]`);
  await expect(row.locator('[data-outcome-label]')).toHaveText('interrupted');
  await expect(row).toHaveAttribute('data-outcome', 'interrupted');
  await page.getByLabel('Outcome').selectOption('interrupted');
  await expect(page.locator('li[data-run]')).toHaveCount(1);

  await row.locator('[data-abandon]').click();
  await page.locator('dialog').getByRole('button', { name: 'Abandon' }).click();
  await expect(row.locator('[data-outcome-label]')).toHaveText('abandoned');
  await expect(row.locator('[data-abandon]')).toHaveCount(0);
  const history = (await runner.api('GET', '/api/history')).json() as { runs: { id: string; status: string }[] };
  expect(history.runs.find((run) => run.id === runId)?.status).toBe('abandoned');
});
