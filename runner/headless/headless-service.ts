import path from 'node:path';
import type { Manifest } from '../../protocol/index.ts';
import { createStepExecutors } from '../execution/step-executors.ts';
import { KubeContexts } from '../kube/kube-contexts.ts';
import { ManifestIndex } from '../manifest/manifest-index.ts';
import { RunService } from '../runs/run-service.ts';
import { JournalRunStore } from '../store/journal-run-store.ts';
import type { RunStore } from '../store/run-store.ts';

export interface HeadlessService {
  service: RunService;
  store: RunStore;
  /** Where a run's whole step logs are kept. */
  logDirOf(runId: string): string;
  close(): Promise<void>;
}

// The runner's RunService built in this process, as runner-instance.ts builds it for the page
// (same journal store, executors, output limits and masking), without HTTP.
// It writes its run into the state folder's journal, so the page lists the run afterwards; it
// never touches other runs, so a page runner may use the same folder at the same time.
export async function startHeadlessService(options: {
  stateDir: string;
  manifestFile: string | null;
  /** The runbook compiled from its source, when no built manifest file is given. */
  compile: () => Promise<Manifest>;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
}): Promise<HeadlessService> {
  const manifest = options.manifestFile
    ? await ManifestIndex.load(path.resolve(options.manifestFile))
    : new ManifestIndex(await options.compile());
  const store = new JournalRunStore(options.stateDir);
  let service: RunService | undefined;
  service = new RunService({
    manifest,
    store,
    executors: createStepExecutors({ stateDir: options.stateDir }),
    env: options.env,
    contexts: new KubeContexts({ env: options.env, stateDir: options.stateDir }),
    limits: { wireBytes: 512 * 1024, memoryBytes: 16 * 1024 * 1024, tailBytes: 16 * 1024 },
    graceMs: 3000,
    log: (message, error) => {
      const line = `${message}${error instanceof Error ? `: ${error.message}` : ''}`;
      options.log(service ? service.mask(line) : line);
    },
  });
  const running = service;
  return {
    service: running,
    store,
    logDirOf: (runId) => store.pathsOf(runId).logDir,
    close: async () => {
      await running.shutdown();
      await store.close();
    },
  };
}
