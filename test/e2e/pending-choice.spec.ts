import { expect, test } from '@playwright/test';
import { openRunbook, runStep, startRun, step } from './runner-page.ts';

// A later step that needs a value an open choice will give says so, rather than asking the
// operator to run again the step that already ran.
test('a step waiting for a value whose choice is open names that choice', async ({ page }) => {
  await openRunbook(page);
  await startRun(page);
  const missing = step(page, 'use-values').locator('[data-missing]');
  await expect(missing).toContainText('Waiting for {{releaseName}}, {{servicePort}}, {{rootPassword}}: run the step');

  await runStep(page, 'list-releases');
  await expect(step(page, 'list-releases').locator('[data-choices]')).toBeVisible();
  await expect(missing).toContainText('Waiting for your choice of {{releaseName}} in step 3 (List releases).');
  await expect(missing).not.toContainText('{{releaseName}}:');

  // A podSelector step that matched several pods: the runner's answer as it gives it (CHOOSE_POD).
  await page.route('**/steps/describe-service/run', (route) =>
    route.fulfill({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({
        code: 'CHOOSE_POD',
        message: 'app=tutorial matches 2 running pods: choose one',
        details: { candidates: ['tutorial-a', 'tutorial-b'] },
      }),
    }),
  );
  await step(page, 'describe-service').locator('[data-action="run"]').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('runs in which pod?');
  await expect(missing).toContainText(
    'Waiting for your choice of pod in step 2 (Describe a service as JSON), which captures {{servicePort}}.',
  );
  await expect(missing).not.toContainText('{{servicePort}},');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(missing).not.toContainText('choice of pod');
  await expect(missing).toContainText('Waiting for {{servicePort}}, {{rootPassword}}: run the steps');
});
