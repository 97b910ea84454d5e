import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { ROOT } from '../helpers/fixtures.ts';
import { type RunnerHandle, startRunner } from '../helpers/runner-process.ts';
import { base, openRunbook, startRun, step, token } from './runner-page.ts';

const SITE = path.join(ROOT, 'dist');
const MANIFEST = path.join(SITE, 'drillbook/manifest.json');
const FORGED = 'a-key-from-a-runner-that-was-restarted';
const WRONG_KEY = "The runner does not know this page's key.";
const banner = (page: Page) => page.locator('[data-runner-banner]');

// A tab opened before the runner restarted: every place that asks the runner says the one thing
// that helps (open the address npm start printed), never the raw refusal or an empty box.
test('a page whose key the runner does not know says so everywhere, with no empty box and no fake cluster choice', async ({
  page,
}) => {
  const created = await fetch(`${base()}/api/runs`, {
    method: 'POST',
    headers: { 'x-drillbook-token': token(), origin: base(), 'content-type': 'application/json' },
    body: JSON.stringify({ runbook: 'getting-started', operator: 'Ana Operator' }),
  });
  expect(created.status).toBe(201);
  const run = (await created.json()) as { id: string };

  await page.goto(`${base()}/runbooks/getting-started/#token=${FORGED}`);
  await expect(banner(page)).toHaveAttribute('data-runner-banner', 'wrong-key');
  await expect(banner(page)).toContainText(WRONG_KEY);
  await expect(banner(page)).toContainText('npm start');
  await expect(banner(page)).toContainText('#token=');
  await expect(page.locator('db-run-panel [data-panel]')).toBeHidden();
  await expect(page.locator('select[name="context"]')).toHaveCount(0);
  await expect(page.locator('option', { hasText: 'No cluster' })).toHaveCount(0);
  await expect(page.locator('[data-context-preview]')).toHaveCount(0);
  await expect(page.getByText('x-drillbook-token')).toHaveCount(0);

  await page.goto(`${base()}/runbooks/getting-started/?run=${run.id}`);
  await expect(banner(page)).toContainText(WRONG_KEY);
  await expect(page.locator('db-run-panel [data-panel]')).toBeHidden();
  await expect(page.getByText('x-drillbook-token')).toHaveCount(0);

  await page.goto(`${base()}/runs/`);
  await expect(banner(page)).toContainText(WRONG_KEY);
  await expect(page.locator('db-runs-history [data-count]')).toBeHidden();
  await expect(page.getByText('x-drillbook-token')).toHaveCount(0);

  await page.goto(`${base()}/drills/`);
  await expect(banner(page)).toContainText(WRONG_KEY);
  await expect(page.getByText('x-drillbook-token')).toHaveCount(0);
  await expect(banner(page)).toHaveCount(1);
});

test('a cluster list that cannot be fetched is said, and no run starts without one', async ({ page }) => {
  await page.route('**/api/contexts', (route) =>
    route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'INTERNAL', message: 'the kubeconfig could not be read' }),
    }),
  );
  await openRunbook(page);
  const field = page.locator('[data-contexts-failed]');
  await expect(field).toContainText('The list of clusters could not be fetched');
  await expect(field).toContainText('the kubeconfig could not be read');
  await expect(page.locator('option', { hasText: 'No cluster' })).toHaveCount(0);
  await expect(page.locator('[data-context-preview]')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Start run' })).toBeDisabled();
  await expect(banner(page)).toHaveCount(0);
});

test.describe('a runner that dies', () => {
  let runner: RunnerHandle | undefined;
  test.afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });

  // The test's own runner, killed by its PID: the page says so while nothing answers; a runner
  // started again in its place answers with a new key, which the page then asks for.
  test('the page shows that the runner is not answering, and stops saying so when a runner answers', async ({
    page,
  }) => {
    const first = await startRunner({ siteDir: SITE, manifestFile: MANIFEST });
    runner = first;
    const origin = `http://127.0.0.1:${first.port}`;
    await page.goto(`${origin}/runbooks/getting-started/#token=${first.token}`);
    await startRun(page);
    await expect(step(page, 'inspect-kernel').locator('[data-action="run"]')).toBeEnabled();
    await expect(banner(page)).toHaveCount(0);

    process.kill(first.child.pid as number, 'SIGKILL');
    await expect(banner(page)).toHaveAttribute('data-runner-banner', 'unreachable', { timeout: 15_000 });
    await expect(banner(page)).toContainText(`The runner is not answering at ${origin}.`);
    await expect(banner(page)).toContainText('npm start');

    runner = await startRunner({ siteDir: SITE, manifestFile: MANIFEST, stateDir: first.stateDir, port: first.port });
    expect(runner.port).toBe(first.port);
    await expect(banner(page)).toHaveAttribute('data-runner-banner', 'wrong-key', { timeout: 15_000 });
    await expect(banner(page)).not.toContainText('not answering');
  });

  test('the banner goes away once the same runner answers again', async ({ page }) => {
    await openRunbook(page);
    await startRun(page);
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await step(page, 'inspect-kernel').locator('[data-action="run"]').click();
    await expect(banner(page)).toHaveAttribute('data-runner-banner', 'unreachable');
    await expect(page.locator('db-run-panel [role="alert"]:not([data-runner-banner])')).toBeHidden();
    await page.unroute('**/api/**');
    await expect(banner(page)).toHaveCount(0, { timeout: 10_000 });
  });
});
