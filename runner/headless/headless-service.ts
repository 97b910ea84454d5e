import path from 'node:path';
import type { Manifest } from '../../protocol/index.ts';
import { createStepExecutors } from '../execution/step-executors.ts';
import { KubeContexts } from '../kube/kube-contexts.ts';
import { ManifestIndex } from '../manifest/manifest-index.ts';
import { RunRuntime } from '../runs/run-runtime.ts';
import { RunService } from '../runs/run-service.ts';
import { JournalRunStore } from '../store/journal-run-store.ts';
import type { RunStore } from '../store/run-store.ts';
import { DrillError } from './drill-error.ts';

export interface HeadlessService {
  service: RunService;
  store: RunStore;
  /** Where a run's whole step logs are kept. */
  logDirOf(runId: string): string;
  /** Loads a recorded run of this runbook that is still open, to go on with it. */
  resume(runId: string, slug: string): Promise<RunRuntime>;
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
    resume: (runId, slug) => resumeRun(store, running, runId, slug),
    close: async () => {
      await running.shutdown();
      await store.close();
    },
  };
}

// A run another invocation left open: replayed from its journal into this service. Its params
// and captured values come back with it; secret values are not on disk and must be captured again.
async function resumeRun(store: JournalRunStore, service: RunService, runId: string, slug: string) {
  if (!(await store.listRuns()).includes(runId))
    throw new DrillError('USAGE', `no run "${runId}" in this state folder`);
  const loaded = await store.load(runId);
  const runtime = new RunRuntime(store, loaded.records);
  if (loaded.damagedAt !== null)
    throw new DrillError('REFUSED', `run ${runId}: its journal is damaged at line ${loaded.damagedAt}`);
  if (runtime.state.runbook.slug !== slug)
    throw new DrillError('USAGE', `run ${runId} is a run of ${runtime.state.runbook.slug}, not ${slug}`);
  if (runtime.state.status !== 'active') throw new DrillError('REFUSED', `run ${runId} is ${runtime.state.status}`);
  const running = [...runtime.state.steps].find(([, step]) => step.status === 'running');
  if (running) throw new DrillError('REFUSED', `run ${runId}: step "${running[0]}" is running elsewhere`);
  service.adopt(runtime);
  return runtime;
}
