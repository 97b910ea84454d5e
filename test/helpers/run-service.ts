import type { OutputLimits } from '../../runner/attempts/output-pipeline.ts';
import type { ProcessRequest, ProcessResult } from '../../runner/execution/run-process.ts';
import { localExecutor, type StepExecutor } from '../../runner/execution/step-executor.ts';
import { KubeContexts } from '../../runner/kube/kube-contexts.ts';
import { ManifestIndex } from '../../runner/manifest/manifest-index.ts';
import { RunService } from '../../runner/runs/run-service.ts';
import { JournalRunStore } from '../../runner/store/journal-run-store.ts';
import type { RunStore } from '../../runner/store/run-store.ts';
import { compileInline } from './fixtures.ts';
import { tempDir } from './run-script.ts';

export const SLUG = 'service';

export interface ServiceHarness {
  service: RunService;
  store: RunStore;
  stateDir: string;
  logs: string[];
  hashOf: (stepId: string) => string;
  start: (params?: Record<string, string>) => Promise<string>;
  /** Runs a step and waits until its attempt is over. */
  run: (runId: string, stepId: string) => Promise<void>;
}

// A RunService over an inline runbook, with the real journal (or a given store) and bash (or a
// scripted executor), and small output limits a test can reach.
export async function serviceFor(
  body: string,
  options: { store?: (stateDir: string) => RunStore; executor?: StepExecutor; limits?: Partial<OutputLimits> } = {},
): Promise<ServiceHarness> {
  const compiled = await compileInline(body, `${SLUG}.mdx`);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const stateDir = await tempDir('drillbook-service-');
  const store = options.store?.(stateDir) ?? new JournalRunStore(stateDir);
  const logs: string[] = [];
  const service = new RunService({
    manifest: new ManifestIndex({ schemaVersion: 1, runbooks: [compiled.runbook] }),
    store,
    executors: [options.executor ?? localExecutor],
    contexts: new KubeContexts({ env: { HOME: stateDir }, stateDir }),
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
    limits: { wireBytes: 64 * 1024, memoryBytes: 64 * 1024, tailBytes: 1024, ...options.limits },
    graceMs: 200,
    log: (message, error) => logs.push(`${message}${error ? `: ${String(error)}` : ''}`),
  });
  const hashOf = (stepId: string) => {
    const step = compiled.runbook.steps.find((item) => item.id === stepId);
    if (!step) throw new Error(`no step ${stepId}`);
    return step.hash;
  };
  const start = async (params: Record<string, string> = {}) =>
    (await service.create({ runbook: SLUG, operator: 'ana', params })).id;
  const run = async (runId: string, stepId: string) => {
    await service.runStep(runId, stepId, hashOf(stepId));
    await service.get(runId).running?.done;
  };
  return { service, store, stateDir, logs, hashOf, start, run };
}

// An executor that runs no process: it writes the given output and counts its runs.
export function scriptedExecutor(
  act: (request: ProcessRequest, run: number) => Promise<Partial<ProcessResult>> | Partial<ProcessResult>,
): StepExecutor & { runs: ProcessRequest[] } {
  const runs: ProcessRequest[] = [];
  return {
    target: 'local',
    runs,
    async run(request) {
      runs.push(request);
      request.onSpawn?.(999_999);
      const result = await act(request, runs.length);
      return {
        exitCode: 0,
        signal: null,
        durationMs: 1,
        timedOut: false,
        idleTimedOut: false,
        canceled: false,
        pgid: 999_999,
        spawnError: null,
        ...result,
      };
    },
  };
}
