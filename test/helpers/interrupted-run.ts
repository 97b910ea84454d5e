import { KubeContexts } from '../../runner/kube/kube-contexts.ts';
import { ManifestIndex } from '../../runner/manifest/manifest-index.ts';
import { RunService } from '../../runner/runs/run-service.ts';
import { JournalRunStore } from '../../runner/store/journal-run-store.ts';
import { tempDir } from './run-script.ts';

// A state folder left by a runner that was killed while a step ran: the step's start is on
// record, its end is not. The next runner started on it marks the step interrupted.
export async function stateOfAKilledRunner(
  manifestFile: string,
  runbook: string,
  stepId: string,
): Promise<{ stateDir: string; runId: string }> {
  const stateDir = await tempDir('drillbook-killed-');
  const store = new JournalRunStore(stateDir);
  const service = new RunService({
    manifest: await ManifestIndex.load(manifestFile),
    store,
    executors: [],
    contexts: new KubeContexts({ env: { HOME: stateDir }, stateDir }),
    env: {},
    limits: { wireBytes: 1024, memoryBytes: 1024, tailBytes: 64 },
    graceMs: 100,
    log: () => {},
  });
  const runtime = await service.create({ runbook, operator: 'ana' });
  const step = service.manifest.commandStep(runbook, stepId);
  await runtime.record({
    type: 'step-started',
    stepId: step.id,
    stepHash: step.hash,
    attempt: 1,
    script: step.script,
    references: step.references,
    processMarker: 'gone-with-the-runner',
    target: step.target,
  });
  await store.close();
  return { stateDir, runId: runtime.id };
}
