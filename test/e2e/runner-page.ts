import { expect, type Locator, type Page } from '@playwright/test';

export const port = () => Number(process.env.DRILLBOOK_E2E_PORT);
export const token = () => process.env.DRILLBOOK_E2E_TOKEN as string;
export const base = () => `http://127.0.0.1:${port()}`;

export async function openRunbook(page: Page, slug = 'getting-started', query = ''): Promise<void> {
  await page.goto(`${base()}/runbooks/${slug}/${query}#token=${token()}`);
}

export async function startRun(page: Page, params: Record<string, string> = {}): Promise<string> {
  await page.getByLabel('Operator').fill('Ana Operator');
  for (const [label, value] of Object.entries(params)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\?run=/);
  return new URL(page.url()).searchParams.get('run') as string;
}

export function step(page: Page, id: string): Locator {
  return page.locator(`section[data-step-id="${id}"]`);
}

export async function runStep(page: Page, id: string, status: RegExp | string = 'Succeeded'): Promise<void> {
  const section = step(page, id);
  await section.locator('[data-action="run"]').click();
  await expect(section.locator('[data-status]')).toContainText(status, { timeout: 30_000 });
}

// Reads the runner's API from the test (not from the page) to check what the runner recorded.
export async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${base()}/api${path}`, { headers: { 'x-drillbook-token': token() } });
  return (await response.json()) as T;
}
