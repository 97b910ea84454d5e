import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { api, port } from './runner-page.ts';

// A page on another origin (another port on the same machine) tries to drive the runner.
test('a forged request from another origin page is refused and creates nothing', async ({ page }) => {
  const target = `http://127.0.0.1:${port()}`;
  const evil = http.createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(`<!doctype html><script>
      const body = JSON.stringify({ runbook: 'getting-started', operator: 'mallory' });
      window.results = Promise.allSettled([
        fetch('${target}/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.status),
        fetch('${target}/api/runs', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }).then((r) => r.type),
        fetch('${target}/api/runs').then((r) => r.status),
      ]);
    </script>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    const before = (await api<unknown[]>('/runs')).length;
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    const results = await page.evaluate(
      () => (window as unknown as { results: Promise<PromiseSettledResult<unknown>[]> }).results,
    );
    expect(results[0]?.status).toBe('rejected');
    expect(results[2]?.status).toBe('rejected');
    expect((await api<{ operator: string }[]>('/runs')).length).toBe(before);
    expect((await api<{ operator: string }[]>('/runs')).some((run) => run.operator === 'mallory')).toBe(false);
  } finally {
    evil.close();
  }
});
