import { rm } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { practiceDown } from '../../practice/cluster/lifecycle.ts';
import { checkCriteria } from '../../practice/drills/check-criteria.ts';
import { fixtureContext } from '../../practice/fixtures/fixture-context.ts';
import { practiceLayout } from '../../practice/layout.ts';
import { escapeRegExp } from '../../protocol/regexp.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/run-script.ts';
import { type RunnerHandle, startRunner } from '../helpers/runner-process.ts';
import { readDrillFile } from './drill-file.ts';
import { followRunbook } from './follow-runbook.ts';

const SITE = path.join(ROOT, 'dist');
const MANIFEST = path.join(SITE, 'drillbook/manifest.json');
/** Of the drills a trainee solves with one runbook, the quickest (about 25 s of steps). */
const DRILL = 'kubeadm-deleted-workloads';

let runner: RunnerHandle | undefined;
let stateDir = '';
test.afterAll(async () => {
  await runner?.stop();
  if (!stateDir) return;
  await practiceDown(practiceLayout(stateDir)).catch(() => undefined);
  await rm(stateDir, { recursive: true, force: true });
});

test('a trainee solves the kubeadm drill in the page, step by step, and is graded passed with a report', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const drill = await readDrillFile(DRILL);
  const [entry] = drill.runbooks;
  if (!entry || drill.runbooks.length !== 1) throw new Error(`${DRILL} must follow exactly one runbook`);
  stateDir = await tempDir('drillbook-e2e-drill-solve-');
  runner = await startRunner({ stateDir, manifestFile: MANIFEST, siteDir: SITE, env: { HOME: stateDir } });

  await page.goto(`http://127.0.0.1:${runner.port}/drills/#token=${runner.token}`);
  const card = page.locator(`article[data-drill="${DRILL}"]`);
  await card.getByLabel('Operator').fill('Sol Solver');
  await card.getByRole('button', { name: 'Start drill' }).click();
  const attempt = page.locator('section[data-attempt]');
  await expect(attempt).toBeVisible({ timeout: 120_000 });
  await expect(attempt.locator('[data-symptoms]')).toHaveText(drill.symptoms);

  // The fault is real: the cluster fails the drill's criteria before the trainee repairs it.
  const cluster = await fixtureContext(practiceLayout(stateDir, drill.nodes));
  const before = await checkCriteria(cluster, drill.criteria);
  expect(before.filter((result) => !result.passed).length).toBeGreaterThan(0);

  const [runbook] = await Promise.all([
    context.waitForEvent('page'),
    attempt.getByRole('link', { name: new RegExp(`^Open ${entry.slug} `) }).click(),
  ]);
  await expect(runbook.locator('[data-run-status]')).toHaveText(/^Sol Solver · training · active/);
  for (const [name, value] of Object.entries(entry.answers.params))
    await expect(runbook.locator(`li[data-value="${name}"] .db-value-text`)).toHaveText(value);
  const followed = await followRunbook(runbook, entry.answers);
  const skipped = followed.filter((step) => step.action === 'skip').length;
  expect(skipped).toBe(Object.keys(entry.answers.skip).length);

  await runbook.getByRole('button', { name: 'Complete run' }).click();
  await runbook.getByRole('dialog').getByRole('button', { name: 'Complete run' }).click();
  const report = runbook.locator('[data-trainee-report]');
  await expect(report.locator('[data-total="done"] dd')).toHaveText(
    `${followed.length - skipped} of ${followed.length}`,
  );
  await expect(report.locator('[data-total="skips"] dd')).toHaveText(String(skipped));
  await expect(report.locator('[data-total="reruns"] dd')).toHaveText('0');
  await expect(report.locator('[data-total="first-attempt"] dd')).toHaveText(/^(\d+) of \1$/);

  await page.bringToFront();
  await attempt.getByRole('button', { name: 'Finish and grade' }).click();
  const grade = attempt.locator('[data-verdict]');
  await expect(grade).toBeVisible({ timeout: 60_000 });
  await expect(grade).toHaveAttribute('data-verdict', 'passed', { timeout: 1_000 });
  const count = drill.criteria.length;
  await expect(grade.getByRole('heading', { name: `Drill passed: ${count} of ${count} criteria met` })).toBeVisible();
  await expect(grade.locator('li[data-passed="true"]')).toHaveText(
    before.map((result) => new RegExp(`^✔ Pass ${escapeRegExp(result.label)}: `)),
  );
  for (const criterion of drill.criteria)
    if (criterion.label) await expect(grade.locator('[data-criteria]')).toContainText(`✔ Pass ${criterion.label}: `);
  for (const result of before.filter((item) => !item.passed))
    await expect(grade.locator('[data-criteria]')).not.toContainText(`${result.label}: ${result.detail}`);

  const trainee = grade.locator('section[data-report]');
  await expect(trainee.getByRole('heading')).toHaveText(/^Trainee report: /);
  await expect(trainee).toContainText(
    new RegExp(
      `${followed.length - skipped} of ${followed.length} steps done · checks passed at the first attempt (\\d+) of \\1 · re-runs 0 · skips ${skipped} `,
    ),
  );
  const rows = trainee.locator('tbody tr');
  await expect(rows).toHaveCount(followed.length);
  const STATUS = { run: 'succeeded', acknowledge: 'acknowledged', skip: 'skipped' } as const;
  for (const step of followed) {
    const cells = trainee.locator(`tr[data-step="${step.id}"] td`);
    await expect(cells.nth(1)).toHaveText(STATUS[step.action]);
    await expect(cells.nth(2)).toHaveText(step.action === 'run' ? '1' : '0');
    if (step.action === 'run') await expect(cells.nth(3)).toHaveText(/^\d+(\.\d+)? (ms|s|min)/);
  }
  await expect(card.locator(`[data-result]`).first()).toHaveText('passed');
});
