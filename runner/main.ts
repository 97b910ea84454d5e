import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app.ts';
import { isLoopback, readConfig } from './config.ts';
import { localExecutor } from './execution/step-executor.ts';
import { SecurityPolicy } from './http/security-policy.ts';
import { listen } from './listen.ts';
import { ManifestIndex } from './manifest/manifest-index.ts';
import { openBrowser } from './open-browser.ts';
import { recoverRuns } from './runs/recover-runs.ts';
import { RunService } from './runs/run-service.ts';
import { JournalRunStore } from './store/journal-run-store.ts';

// The runner process: load the manifest, recover runs, listen on loopback, hand the page its token.
const config = readConfig(process.argv.slice(2), process.env);
const manifest = await ManifestIndex.load(config.manifestFile);
await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
await chmod(config.stateDir, 0o700);

let service: RunService | undefined;
const log = (message: string, error?: unknown) => {
  const detail =
    error instanceof Error ? `: ${error.stack ?? error.message}` : error === undefined ? '' : `: ${String(error)}`;
  const line = `${new Date().toISOString()} ${message}${detail}`;
  console.error(service ? service.mask(line) : line);
};

const store = new JournalRunStore(config.stateDir);
const { DRILLBOOK_PORT: _port, DRILLBOOK_STATE_DIR: _state, ...operatorEnv } = process.env;
service = new RunService({
  manifest,
  store,
  executors: [localExecutor],
  env: operatorEnv,
  limits: { wireBytes: 512 * 1024, memoryBytes: 16 * 1024 * 1024, tailBytes: 16 * 1024 },
  graceMs: config.graceMs,
  log,
});
const recovery = await recoverRuns(store, service, config.graceMs);
for (const { runId, stepId } of recovery.interrupted)
  log(`run ${runId}: step ${stepId} was interrupted by the last stop`);
for (const runId of recovery.repaired) log(`run ${runId}: a torn last journal line was cut off`);
for (const runId of recovery.damaged) log(`run ${runId}: the journal is damaged; the run is read-only`);

const token = randomBytes(32).toString('base64url');
const tokenFile = path.join(config.stateDir, 'token');
await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
await chmod(tokenFile, 0o600);

const policy = new SecurityPolicy(token);
const app = createApp({ service, store, policy, siteDir: config.siteDir, log });
const server = await listen(app, config);
const { port } = server.address() as AddressInfo;
policy.bind(config.host, port);
await writeFile(path.join(config.stateDir, 'port'), `${port}\n`, { mode: 0o600 });

if (!isLoopback(config.host)) log(`WARNING: listening on ${config.host}, reachable beyond this machine`);
const shownHost = config.host === '::1' ? '[::1]' : config.host;
console.log(`Drillbook runner: ${manifest.manifest.runbooks.length} runbooks, ${recovery.runs} recorded runs`);
const pageUrl = `http://${shownHost}:${port}/#token=${token}`;
console.log(`Open ${pageUrl}`);
if (config.open) await openBrowser(config.stateDir, pageUrl, log);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: canceling running steps and stopping`);
  server.close();
  server.closeAllConnections();
  await service?.shutdown();
  await store.close();
  await rm(tokenFile, { force: true });
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
