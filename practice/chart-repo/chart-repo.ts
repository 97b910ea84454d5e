import { readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PracticeError } from '../errors.ts';
import type { PracticeLayout } from '../layout.ts';
import { issueCertificate } from '../pki/openssl.ts';
import { readRunningDaemon, startDaemon, stopDaemon } from '../process/daemon.ts';
import { toolPaths } from '../tools/pinned-tools.ts';
import { packageCharts } from './package-charts.ts';
import { chartRepoFiles } from './repo-files.ts';

const CHART_REPO_ENTRY = path.join(import.meta.dirname, 'main.ts');
const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

// Packages the practice charts and starts the HTTPS repository that serves them, unless it is
// already running; returns once index.yaml answers over TLS signed by the cluster CA.
export async function startChartRepo(layout: PracticeLayout, timeoutMs: number): Promise<string> {
  const files = chartRepoFiles(layout);
  if (await readRunningDaemon(files.pidFile)) return waitForChartRepoReady(layout, timeoutMs);
  await rm(files.urlFile, { force: true });
  const [first] = layout.nodes;
  if (!first) throw new Error('the practice layout has no nodes');
  await Promise.all([
    packageCharts(toolPaths().helm, files.servedDir),
    issueCertificate({
      out: { cert: files.cert, key: files.key },
      issuer: { cert: first.files.caCert, key: first.files.caKey },
      commonName: 'drillbook-chart-repo',
      usage: 'server',
      dnsNames: ['localhost'],
      ipAddresses: [files.host],
    }),
  ]);
  await startDaemon({
    file: process.execPath,
    args: [
      CHART_REPO_ENTRY,
      `--host=${files.host}`,
      `--dir=${files.servedDir}`,
      `--cert=${files.cert}`,
      `--key=${files.key}`,
      `--url-file=${files.urlFile}`,
    ],
    files,
    cwd: REPO_ROOT,
  });
  return waitForChartRepoReady(layout, timeoutMs);
}

// Ends the repository's process group on `practice down`; the packaged charts stay until the next up.
export async function stopChartRepo(layout: PracticeLayout, graceMs: number): Promise<void> {
  const files = chartRepoFiles(layout);
  await stopDaemon(files.pidFile, graceMs);
  await rm(files.urlFile, { force: true });
}

// The repository's URL while its process runs; null when it is stopped.
export async function readChartRepoUrl(layout: PracticeLayout): Promise<string | null> {
  const files = chartRepoFiles(layout);
  if (!(await readRunningDaemon(files.pidFile))) return null;
  const url = await readFile(files.urlFile, 'utf8').catch(() => '');
  return url.trim() || null;
}

async function waitForChartRepoReady(layout: PracticeLayout, timeoutMs: number): Promise<string> {
  const files = chartRepoFiles(layout);
  const deadline = Date.now() + timeoutMs;
  const ca = await readFile(files.caCert);
  for (;;) {
    const url = await readChartRepoUrl(layout);
    if (url && (await isIndexServed(url, ca))) return url;
    if (!(await readRunningDaemon(files.pidFile))) {
      throw new PracticeError('START_TIMEOUT', `the chart repository exited; read ${files.logFile}`);
    }
    if (Date.now() >= deadline) {
      throw new PracticeError(
        'START_TIMEOUT',
        `the chart repository did not serve index.yaml within ${timeoutMs / 1000} s; read ${files.logFile}`,
      );
    }
    await delay(50);
  }
}

// Readiness as helm sees it: index.yaml over TLS, verified against the cluster CA.
export function isIndexServed(url: string, ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(`${url}/index.yaml`, { ca, agent: false, timeout: 1000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode === 200));
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
