import type { RunnerApi } from './api.ts';

// Fetches with the token (a plain link could not send it) and hands the result to the browser.
export async function download(api: RunnerApi, path: string, fileName: string): Promise<void> {
  const url = URL.createObjectURL(await api.blob(path));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function openText(api: RunnerApi, path: string): Promise<void> {
  const blob = await api.blob(path);
  const url = URL.createObjectURL(new Blob([blob], { type: 'text/plain;charset=utf-8' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
