import { expect, test } from '@playwright/test';
import { base } from './runner-page.ts';

test('the catalog filters runbooks by text, system and tag', async ({ page }) => {
  await page.goto(`${base()}/`);
  const visible = page.locator('.db-card:visible');
  const total = await visible.count();
  expect(total).toBeGreaterThan(10);
  await page.getByLabel('Search').fill('okd');
  await expect(visible).toHaveCount(2);
  await expect(page.locator('[data-count]')).toHaveText('2 runbooks');
  await page.getByLabel('Search').fill('');
  await page.locator('select[name="tag"]').selectOption('tutorial');
  await expect(visible).toHaveCount(1);
  await expect(visible.first()).toContainText('Getting started with Drillbook');
  await page.locator('select[name="tag"]').selectOption('');
  await page.locator('select[name="system"]').selectOption('etcd');
  await expect(visible).toHaveCount(total - 2);
  await page.getByLabel('Search').fill('no such runbook');
  await expect(page.locator('.db-catalog-empty')).toBeVisible();
});
