import type { RunRuntime } from '../runs/run-runtime.ts';
import type { RunStore } from '../store/run-store.ts';
import { knownStepsOf } from './runbook-drift.ts';

const CHANGED = 'changed since this run began';

// A run resumed on a newer runbook: before a step whose hash differs from the run's version runs,
// the run records a warning (once per step), so the page, the terminal and the record say so.
// A runbook whose content hash is the run's has no changed step: nothing is read then.
export async function warnIfStepChanged(
  runtime: RunRuntime,
  store: RunStore,
  step: { id: string; hash: string },
  runbookNow: { contentHash: string },
): Promise<void> {
  if (runbookNow.contentHash === runtime.state.runbook.contentHash) return;
  const saved = await store.readRunbookVersion(runtime.id);
  const before = knownStepsOf(saved, runtime.records).find((known) => known.id === step.id);
  if (!before || before.hash === step.hash) return;
  const warned = runtime.records.some(
    ({ event }) => event.type === 'warning' && event.stepId === step.id && event.message.includes(CHANGED),
  );
  if (warned) return;
  await runtime.record({
    type: 'warning',
    stepId: step.id,
    name: null,
    message: `step "${step.id}" ${CHANGED} (step hash ${before.hash.slice(0, 12)} then, ${step.hash.slice(0, 12)} now): it runs as the runbook says now`,
  });
}
