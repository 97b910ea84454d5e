import { StepProcesses } from '../execution/step-processes.ts';
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
// running as interrupted, and ends that step's processes: those that carry its marker, with their
// descendants, sessions and groups.
export async function recoverRuns(store: RunStore, service: RunService, graceMs: number): Promise<RecoveryReport> {
  const report: RecoveryReport = { runs: 0, interrupted: [], repaired: [], damaged: [] };
  for (const runId of await store.listRuns()) {
    // Another process's run under way: found, read-only, when the runs are listed (RunDiscovery).
    if (await store.isWrittenElsewhere(runId)) continue;
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
      // Not the recorded pgid: after a reboot that number may be someone else's group.
      if (step.processMarker) await new StepProcesses(step.processMarker).end(graceMs);
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
