import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app.ts';
import type { RunnerConfig } from './config.ts';
import { PageDrills } from './drills/page-attempts.ts';
import { createStepExecutors } from './execution/step-executors.ts';
import type { Logger } from './http/error-handler.ts';
import { SecurityPolicy } from './http/security-policy.ts';
import { KubeContexts } from './kube/kube-contexts.ts';
import { listen } from './listen.ts';
import { ManifestIndex } from './manifest/manifest-index.ts';
import { type RecoveryReport, recoverRuns } from './runs/recover-runs.ts';
import { RunService } from './runs/run-service.ts';
import { JournalRunStore } from './store/journal-run-store.ts';

export interface RunnerInstance {
  service: RunService;
  recovery: RecoveryReport;
  port: number;
  /** The runner's log: timestamped, with every secret any run knows masked. */
  log: Logger;
  /** Stops listening, cancels running steps (recorded as canceled), closes the journals, forgets the token. */
  close(): Promise<void>;
}

export interface RunnerSetup {
  config: RunnerConfig;
  /** The page's token: every API request must carry it. */
  token: string;
  /** The environment steps run with. */
  env: Record<string, string | undefined>;
  /** Where the log's lines go. */
  write: (line: string) => void;
}

// The runner assembled and listening: its state folder (with the token and port files), the
// journal store, the run service with the runs it recovered, and the HTTP app behind the security
// policy. main.ts puts a process around it (the page's address, signals); integration tests build
// it in-process.
export async function startRunnerInstance(setup: RunnerSetup): Promise<RunnerInstance> {
  const { config } = setup;
  const manifest = await ManifestIndex.load(config.manifestFile);
  await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
  await chmod(config.stateDir, 0o700);
  let service: RunService | undefined;
  const log: Logger = (message, error) => {
    const detail =
      error instanceof Error ? `: ${error.stack ?? error.message}` : error === undefined ? '' : `: ${String(error)}`;
    const line = `${new Date().toISOString()} ${message}${detail}`;
    setup.write(service ? service.mask(line) : line);
  };
  const store = new JournalRunStore(config.stateDir);
  service = new RunService({
    manifest,
    store,
    executors: createStepExecutors({ stateDir: config.stateDir }),
    contexts: new KubeContexts({ env: setup.env, stateDir: config.stateDir }),
    env: setup.env,
    limits: { wireBytes: 512 * 1024, memoryBytes: 16 * 1024 * 1024, tailBytes: 16 * 1024 },
    graceMs: config.graceMs,
    log,
  });
  const recovery = await recoverRuns(store, service, config.graceMs);
  for (const { runId, stepId } of recovery.interrupted)
    log(`run ${runId}: step ${stepId} was interrupted by the last stop`);
  for (const runId of recovery.repaired) log(`run ${runId}: a torn last journal line was cut off`);
  for (const runId of recovery.damaged) log(`run ${runId}: the journal is damaged; the run is read-only`);

  const tokenFile = path.join(config.stateDir, 'token');
  await writeFile(tokenFile, `${setup.token}\n`, { mode: 0o600 });
  await chmod(tokenFile, 0o600);
  const policy = new SecurityPolicy(setup.token);
  const drills = new PageDrills({ service, stateDir: config.stateDir, env: setup.env });
  const app = createApp({ service, store, policy, siteDir: config.siteDir, log, drills });
  const server: Server = await listen(app, config);
  const { port } = server.address() as AddressInfo;
  policy.bind(config.host, port);
  await writeFile(path.join(config.stateDir, 'port'), `${port}\n`, { mode: 0o600 });
  const running = service;
  const close = async () => {
    server.close();
    server.closeAllConnections();
    await running.shutdown();
    await store.close();
    await rm(tokenFile, { force: true });
  };
  return { service, recovery, port, log, close };
}
