import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { practiceDown } from '../../practice/cluster/lifecycle.ts';
import { practiceLayout } from '../../practice/layout.ts';
import type { DrillAttempt, DrillListItem } from '../../protocol/index.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/run-script.ts';
import { type RunnerHandle, startRunner } from '../helpers/runner-process.ts';
import { api, base, token } from './runner-page.ts';

const SITE = path.join(ROOT, 'dist');
const MANIFEST = path.join(SITE, 'drillbook/manifest.json');
const DRILLS = ['deckhouse-deleted-workloads', 'deephaven-etcd-release-gone', 'kubeadm-deleted-workloads'];

// An attempt as the runner records it, written straight into its state folder.
async function storeAttempt(stateDir: string, attempt: DrillAttempt): Promise<void> {
  const folder = path.join(stateDir, 'drills', attempt.id);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'attempt.json'), JSON.stringify(attempt));
}

test('the drills page lists the three drills, refuses a start without an operator, and shows past attempts', async ({
  page,
}) => {
  await storeAttempt(process.env.DRILLBOOK_E2E_STATE as string, {
    id: '20260101t090000z-abc123',
    drill: 'deephaven-etcd-release-gone',
    operator: 'Petra Past',
    via: 'headless',
    startedAt: '2026-01-01T09:00:00.000Z',
    finishedAt: '2026-01-01T09:12:30.000Z',
    status: 'failed',
    runs: [],
    criteria: [{ label: 'x', passed: false, detail: 'missing' }],
  });
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url());
  });
  await page.goto(`${base()}/#token=${token()}`);
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Drills' }).click();
  await expect(page).toHaveURL(/\/drills\/$/);
  const drills = page.locator('article[data-drill]');
  await expect(drills).toHaveCount(3);
  expect(await drills.evaluateAll((items) => items.map((item) => item.getAttribute('data-drill')))).toEqual(DRILLS);
  const kubeadm = page.locator('article[data-drill="kubeadm-deleted-workloads"]');
  await expect(kubeadm.getByRole('heading')).toHaveText("The shop's workloads are gone (kubeadm)");
  await expect(kubeadm).toContainText('lists nothing');
  await expect(kubeadm).toContainText('time limit 30 min');
  await expect(kubeadm).not.toContainText('delete-objects-after-snapshot');
  await expect(kubeadm.locator('[data-attempts]')).toHaveText('No attempts yet.');

  const deephaven = page.locator('article[data-drill="deephaven-etcd-release-gone"]');
  const row = deephaven.locator('tr[data-attempt-id="20260101t090000z-abc123"]');
  await expect(row.locator('td').nth(0)).toHaveText('Petra Past');
  await expect(row.locator('td').nth(2)).toHaveText('12 min 30 s');
  await expect(row.locator('td').nth(3)).toHaveText('failed');
  await expect(deephaven).toContainText('<the attempt folder>/etcd-snapshot.db');

  await kubeadm.getByLabel('Operator').fill('   ');
  await kubeadm.getByRole('button', { name: 'Start drill' }).click();
  await expect(kubeadm.getByRole('alert')).toHaveText('Enter your name as the operator to start the drill.');
  await expect(kubeadm.getByLabel('Operator')).toHaveAttribute('aria-invalid', 'true');
  expect(posts).toEqual([]);
  const listed = await api<DrillListItem[]>('/drills');
  expect(listed.find((drill) => drill.name === 'kubeadm-deleted-workloads')?.attempts).toEqual([]);
});

let runner: RunnerHandle | undefined;
let stateDir = '';
test.afterAll(async () => {
  await runner?.stop();
  if (!stateDir) return;
  await practiceDown(practiceLayout(stateDir)).catch(() => undefined);
  await rm(stateDir, { recursive: true, force: true });
});

test('a trainee starts the kubeadm drill, sees the symptoms, a timer and the training run, and is graded', async ({
  page,
}) => {
  test.setTimeout(180_000);
  stateDir = await tempDir('drillbook-e2e-drills-');
  runner = await startRunner({ stateDir, manifestFile: MANIFEST, siteDir: SITE, env: { HOME: stateDir } });
  await page.goto(`http://127.0.0.1:${runner.port}/drills/#token=${runner.token}`);
  const kubeadm = page.locator('article[data-drill="kubeadm-deleted-workloads"]');
  await kubeadm.getByLabel('Operator').fill('Tina Trainee');
  await kubeadm.getByRole('button', { name: 'Start drill' }).click();

  const attempt = page.locator('section[data-attempt]');
  await expect(attempt).toBeVisible({ timeout: 120_000 });
  await expect(attempt.getByRole('heading', { level: 2 })).toHaveText(
    "The shop's workloads are gone (kubeadm) — Tina Trainee",
  );
  await expect(attempt.locator('[data-symptoms]')).toContainText('lists nothing');
  await expect(attempt.locator('[data-timer]')).toContainText('of 30 min');
  const link = attempt.getByRole('link', { name: /Open kubeadm-etcd-restore/ });
  const runId = (await link.getAttribute('data-run')) as string;
  expect(await link.getAttribute('href')).toBe(`/runbooks/kubeadm-etcd-restore/?run=${runId}`);
  const run = (await runner.api('GET', `/api/runs/${runId}`)).json() as { mode: string; operator: string };
  expect(run).toMatchObject({ mode: 'training', operator: 'Tina Trainee' });
  await expect(kubeadm.getByRole('button', { name: 'Start drill' })).toBeDisabled();

  await attempt.getByRole('button', { name: 'Finish and grade' }).click();
  const grade = attempt.locator('[data-verdict]');
  await expect(grade).toHaveAttribute('data-verdict', 'failed', { timeout: 60_000 });
  await expect(grade.getByRole('heading', { name: /Drill failed: 1 of 2 criteria met/ })).toBeVisible();
  await expect(grade.locator('li[data-passed="false"]')).toContainText(
    "the shop's Deployment and Secret are back: missing: deployment shop/web, secret shop/web-credentials",
  );
  await expect(grade.locator(`section[data-report="${runId}"]`)).toContainText(
    'Trainee report: Restore etcd on a kubeadm cluster',
  );
  await expect(kubeadm.locator('tbody tr td').nth(0)).toHaveText('Tina Trainee');
  await expect(kubeadm.locator('[data-result]')).toHaveText('failed');
  await expect(kubeadm.getByRole('button', { name: 'Start drill' })).toBeEnabled();
});
