import {
  listStepCaptures,
  type RunbookSpec,
  type RunSummary,
  type RunView,
  type ValueView,
} from '../../protocol/index.ts';
import { findVariable } from '../manifest/runbook-variables.ts';
import { blockingItems } from '../preflight/preflight-gate.ts';
import type { RunRuntime } from './run-runtime.ts';
import { emptyStep } from './run-state.ts';

// What the API returns for a run: its state, with secrets reduced to "known" or "not known".
export function viewRun(runtime: RunRuntime, runbook: RunbookSpec | undefined): RunView {
  const { state } = runtime;
  const names = new Set<string>([...state.values.keys(), ...(runbook?.params.map((param) => param.name) ?? [])]);
  for (const step of runbook?.steps ?? []) {
    if (step.kind === 'command') for (const capture of listStepCaptures(step)) names.add(capture.name);
    else if (step.input) names.add(step.input.name);
  }
  const values: ValueView[] = [...names].map((name) => {
    const recorded = state.values.get(name);
    const secret = recorded?.secret ?? findVariable(runbook, name)?.secret ?? false;
    const known = runtime.isKnown(name);
    return {
      name,
      known,
      secret,
      ...(known && !secret ? { value: runtime.value(name) as string } : {}),
      source: recorded?.source ?? null,
    };
  });
  const steps = (runbook?.steps ?? []).map((step) => {
    const current = state.steps.get(step.id) ?? emptyStep();
    // Recorded as running here, yet not running: the record of its end could not be written.
    const unrecordedEnd =
      current.status === 'running' && runtime.running?.stepId !== step.id && !runtime.writtenElsewhere;
    return {
      id: step.id,
      kind: step.kind,
      hash: step.hash,
      status: unrecordedEnd ? 'interrupted' : current.status,
      attempt: current.attempt,
      exitCode: current.exitCode,
      durationMs: current.durationMs,
      message: unrecordedEnd
        ? `the runner could not record how this step ended${runtime.writeFailure ? `: ${runtime.writeFailure}` : ''}`
        : current.message,
      checks: current.checks,
      logFile: current.logFile,
      missing: runtime.missing(step.references),
      blockedBy: blockingItems(runtime, step.id).map((item) => item.id),
    };
  });
  return {
    id: state.id,
    runbook: state.runbook,
    mode: state.mode,
    operator: state.operator,
    target: state.target,
    status: state.status,
    createdAt: state.createdAt,
    endedAt: state.endedAt,
    lastSeq: state.lastSeq,
    runningStep: runtime.running?.stepId ?? null,
    values,
    steps,
    choices: [...state.choices].map(([name, choice]) => ({ name, ...choice })),
    notes: state.notes,
    preflight: [...state.preflight.values()],
  };
}

export function summarizeRun(view: RunView): RunSummary {
  const { id, runbook, mode, operator, status, createdAt, endedAt } = view;
  const done = view.steps.filter((step) => step.status !== 'pending' && step.status !== 'running').length;
  return { id, runbook, mode, operator, status, createdAt, endedAt, progress: { done, total: view.steps.length } };
}
