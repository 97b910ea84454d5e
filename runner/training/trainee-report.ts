import type { RunEventRecord, StepKind, StepStatus, TraineeReport, TraineeStep } from '../../protocol/index.ts';

/** The runbook's steps as a report needs them: a RunbookSpec, or the steps an exported record lists. */
export interface ReportedSteps {
  steps: readonly { id: string; title: string; kind: StepKind }[];
}

interface StepTally {
  status: StepStatus;
  attempts: number;
  firstStartedAt: number | null;
  lastFinishedAt: number | null;
  runningMs: number;
  /** The last result of each check in the first attempt, by label. */
  firstAttempt: Map<string, boolean>;
  skipped: boolean;
  hintsShown: string[];
}

// A trainee's report (time per step, checks passed at the first attempt, re-runs, skips,
// overrides, hints) from the run's events alone, so the page, the API and every export agree.
export function computeTraineeReport(records: readonly RunEventRecord[], runbook: ReportedSteps): TraineeReport {
  const created = records.find((record) => record.event.type === 'run-created');
  if (created?.event.type !== 'run-created') throw new Error('a run starts with run-created');
  const tallies = new Map(runbook.steps.map((step) => [step.id, emptyTally()]));
  let overrides = 0;
  let endedAt: string | null = null;
  let status: TraineeReport['status'] = 'active';
  for (const { event, at } of records) {
    const tally = 'stepId' in event && event.stepId ? tallies.get(event.stepId) : undefined;
    const time = Date.parse(at);
    switch (event.type) {
      case 'step-started':
        if (!tally) break;
        tally.attempts = Math.max(tally.attempts, event.attempt);
        tally.firstStartedAt ??= time;
        tally.status = 'running';
        break;
      case 'check-result':
        if (tally && event.attempt === 1) tally.firstAttempt.set(event.label, event.passed);
        break;
      case 'step-finished':
        if (!tally) break;
        tally.lastFinishedAt = time;
        tally.runningMs += event.durationMs;
        tally.status = event.outcome;
        break;
      case 'step-skipped':
        if (!tally) break;
        tally.skipped = true;
        tally.status = 'skipped';
        break;
      case 'manual-acknowledged':
        if (!tally) break;
        tally.status = 'acknowledged';
        tally.lastFinishedAt = time;
        break;
      case 'hint-shown':
        if (tally && !tally.hintsShown.includes(event.label)) tally.hintsShown.push(event.label);
        break;
      case 'value-overridden':
      case 'preflight-overridden':
        overrides += 1;
        break;
      case 'run-ended':
        endedAt = at;
        status = event.status;
        break;
    }
  }
  const steps = runbook.steps.map((step): TraineeStep => {
    const tally = tallies.get(step.id) ?? emptyTally();
    const checks = [...tally.firstAttempt.values()];
    return {
      id: step.id,
      title: step.title,
      kind: step.kind,
      status: tally.status,
      attempts: tally.attempts,
      reruns: Math.max(0, tally.attempts - 1),
      elapsedMs:
        tally.firstStartedAt === null || tally.lastFinishedAt === null
          ? null
          : Math.max(0, tally.lastFinishedAt - tally.firstStartedAt),
      runningMs: tally.runningMs,
      firstAttemptChecks: { total: checks.length, passed: checks.filter(Boolean).length },
      skipped: tally.skipped,
      hintsShown: tally.hintsShown,
    };
  });
  const last = records.at(-1)?.at ?? created.at;
  const sum = (pick: (step: TraineeStep) => number) => steps.reduce((total, step) => total + pick(step), 0);
  return {
    runId: created.runId,
    runbook: created.event.runbook,
    operator: created.event.operator,
    status,
    startedAt: created.at,
    endedAt,
    totalMs: Math.max(0, Date.parse(endedAt ?? last) - Date.parse(created.at)),
    steps,
    totals: {
      steps: steps.length,
      done: steps.filter((step) => step.status === 'succeeded' || step.status === 'acknowledged').length,
      checks: sum((step) => step.firstAttemptChecks.total),
      checksPassedFirstAttempt: sum((step) => step.firstAttemptChecks.passed),
      reruns: sum((step) => step.reruns),
      skips: steps.filter((step) => step.skipped).length,
      overrides,
      hintsUsed: sum((step) => step.hintsShown.length),
    },
  };
}

function emptyTally(): StepTally {
  return {
    status: 'pending',
    attempts: 0,
    firstStartedAt: null,
    lastFinishedAt: null,
    runningMs: 0,
    firstAttempt: new Map(),
    skipped: false,
    hintsShown: [],
  };
}
