import { expect, type Locator, type Page } from '@playwright/test';
import type { DrillAnswers } from './drill-file.ts';

const STEP_TIMEOUT = 150_000;
const ENDED = /^(Succeeded|Failed|Timed out|Canceled)/;

export interface FollowedStep {
  id: string;
  /** What the trainee did: ran it, marked it done by hand, or skipped it. */
  action: 'run' | 'acknowledge' | 'skip';
}

// A trainee working through an open training run from top to bottom, answering as a drill's
// reference answers say: each step in the order the page marks it as next, run (destructive ones
// confirmed), marked as done, or skipped with the answers' reason; pod and value choices answered.
export async function followRunbook(page: Page, answers: DrillAnswers): Promise<FollowedStep[]> {
  const next = page.locator('[data-training-next]');
  await expect(next).toBeVisible({ timeout: 30_000 });
  const blocks = page.locator('section.db-block[data-step-id]');
  const ids = await blocks.evaluateAll((sections) => sections.map((section) => section.getAttribute('data-step-id')));
  const followed: FollowedStep[] = [];
  for (const id of ids as string[]) {
    await expect(next, `the page offers ${id} as the next step`).toHaveAttribute('data-training-next', id);
    const section = page.locator(`section[data-step-id="${id}"]`);
    const reason = answers.skip[id];
    const manual = await section.evaluate((element) => element.classList.contains('db-manual'));
    if (reason !== undefined) await skipStep(page, section, reason);
    else if (manual) await acknowledgeStep(section, id, answers.ack[id]);
    else await runStep(page, section, id, answers.choose);
    followed.push({ id, action: reason !== undefined ? 'skip' : manual ? 'acknowledge' : 'run' });
  }
  await expect(page.locator('.db-training-next')).toHaveText(/every step is done/);
  return followed;
}

async function skipStep(page: Page, section: Locator, reason: string): Promise<void> {
  await section.getByRole('button', { name: 'Skip' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Why is it skipped?').fill(reason);
  await dialog.getByRole('button', { name: 'Skip step' }).click();
  await expect(section.locator('[data-status]')).toHaveText('Skipped');
}

async function acknowledgeStep(section: Locator, id: string, answer: string | true | undefined): Promise<void> {
  if (answer === undefined) throw new Error(`the drill's answers neither acknowledge nor skip the manual step ${id}`);
  if (answer !== true) await section.locator('[data-manual-input]').fill(answer);
  await section.getByRole('button', { name: 'Mark as done' }).click();
  await expect(section.locator('[data-status]')).toHaveText('Done');
}

async function runStep(page: Page, section: Locator, id: string, choose: Record<string, string>): Promise<void> {
  await section.locator('[data-action="run"]').click();
  if ((await section.getAttribute('data-risk')) === 'destructive') await confirmDestructive(page);
  const status = section.locator('[data-status]');
  const askPod = page.getByRole('dialog').filter({ hasText: 'runs in which pod?' });
  const ended = status.filter({ hasText: ENDED });
  await expect(ended.or(askPod)).toBeVisible({ timeout: STEP_TIMEOUT });
  if (await askPod.isVisible()) {
    const pod = choose[id];
    if (pod === undefined) throw new Error(`the drill's answers choose no pod for ${id}`);
    await askPod.getByRole('combobox').selectOption(pod);
    await askPod.getByRole('button', { name: 'Run in this pod' }).click();
    await expect(ended).toBeVisible({ timeout: STEP_TIMEOUT });
  }
  await expect(status, `step ${id}`).toHaveText(/^Succeeded/, { timeout: 1_000 });
  for (const fieldset of await section.locator('[data-choices] fieldset').all()) {
    const legend = (await fieldset.locator('legend').textContent()) ?? '';
    const name = /\{\{(\w+)\}\}/.exec(legend)?.[1] ?? '';
    const value = choose[name];
    if (value === undefined) throw new Error(`the drill's answers choose no value for {{${name}}} (${id})`);
    await fieldset.getByRole('button', { name: value, exact: true }).click();
  }
  await expect(section.locator('[data-choices] fieldset')).toHaveCount(0);
}

// The destructive-step dialog; on a production target it asks for the cluster's name, typed.
async function confirmDestructive(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('This step is marked destructive');
  const cluster = dialog.locator('[data-confirm-cluster]');
  if (await cluster.isVisible()) {
    const label = (await dialog.locator('label').textContent()) ?? '';
    await cluster.fill(/\(([^)]+)\) to confirm/.exec(label)?.[1] ?? '');
  }
  await dialog.getByRole('button', { name: 'Run destructive step' }).click();
}
