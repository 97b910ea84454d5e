import { expect, type Locator, test } from '@playwright/test';
import { base, openRunbook, token } from './runner-page.ts';

// The danger colour as the page's stylesheet resolves it.
async function dangerColor(input: Locator): Promise<string> {
  return input.evaluate((element) => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--db-danger)';
    element.ownerDocument.body.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  });
}

const borderOf = (input: Locator) => input.evaluate((element) => getComputedStyle(element).borderTopColor);

// A fresh form is not an error: the Operator field turns red only once typed in or submitted.
test("the drills page's Operator field shows invalid only after input or a start attempt", async ({ page }) => {
  await page.goto(`${base()}/drills/#token=${token()}`);
  const form = page.locator('form[data-start="kubeadm-deleted-workloads"]');
  const operator = form.getByLabel('Operator');
  const danger = await dangerColor(operator);
  expect(await borderOf(operator)).not.toBe(danger);

  await form.getByRole('button', { name: 'Start drill' }).click();
  await expect(form.locator('[data-error]')).toHaveText('Enter your name as the operator to start the drill.');
  expect(await borderOf(operator)).toBe(danger);
  await operator.fill('Ana Operator');
  expect(await borderOf(operator)).not.toBe(danger);

  const other = page.locator('form[data-start="deckhouse-deleted-workloads"]').getByLabel('Operator');
  await other.fill('x');
  await other.fill('');
  await other.blur();
  expect(await borderOf(other)).toBe(danger);
});

test("the start form's Operator field shows invalid only after input or a start attempt", async ({ page }) => {
  await openRunbook(page);
  const operator = page.getByLabel('Operator');
  await expect(operator).toHaveValue('');
  const danger = await dangerColor(operator);
  expect(await borderOf(operator)).not.toBe(danger);

  await page.getByRole('button', { name: 'Start run' }).click();
  expect(await borderOf(operator)).toBe(danger);
  await operator.fill('Ana Operator');
  expect(await borderOf(operator)).not.toBe(danger);
});
