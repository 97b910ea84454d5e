import { killProcessesByMarker, terminateGroup } from '../execution/process-group.ts';
import type { RunStore } from '../store/run-store.ts';
import { RunRuntime } from './run-runtime.ts';
import type { RunService } from './run-service.ts';
import { elapsedMsOf } from './run-state.ts';

export interface RecoveryReport {
  runs: number;
  interrupted: { runId: string; stepId: string }[];
  repaired: string[];
  damaged: string[];
}

// Brings every recorded run back after a start: replays its journal, marks a step that was
// running as interrupted, and makes sure none of that step's processes survived.
export async function recoverRuns(store: RunStore, service: RunService, graceMs: number): Promise<RecoveryReport> {
  const report: RecoveryReport = { runs: 0, interrupted: [], repaired: [], damaged: [] };
  for (const runId of await store.listRuns()) {
    const loaded = await store.load(runId);
    if (loaded.records.length === 0) continue;
    if (loaded.repairedTail) report.repaired.push(runId);
    const runtime = new RunRuntime(store, loaded.records);
    if (loaded.damagedAt !== null) {
      runtime.readOnlyReason = `the journal is damaged at line ${loaded.damagedAt}; the run is shown up to there`;
      report.damaged.push(runId);
    }
    for (const [stepId, step] of runtime.state.steps) {
      if (step.status !== 'running') continue;
      if (step.pgid !== null) await terminateGroup(step.pgid, graceMs);
      if (step.processMarker) await killProcessesByMarker(step.processMarker);
      if (runtime.readOnlyReason === undefined) {
        await runtime.record({
          type: 'step-finished',
          stepId,
          attempt: step.attempt,
          outcome: 'interrupted',
          exitCode: null,
          signal: null,
          durationMs: elapsedMsOf(step),
          timedOut: false,
          canceled: false,
          message: 'the runner stopped while this step was running; its processes were ended',
        });
      }
      report.interrupted.push({ runId, stepId });
    }
    service.adopt(runtime);
    report.runs++;
  }
  return report;
}
