import type { RunEventRecord, RunMode, RunStatus, StepOutcome } from '../../protocol/index.ts';

export type StepStatus = 'pending' | 'running' | StepOutcome | 'skipped' | 'acknowledged';
export type ValueSource = 'param' | 'capture' | 'override' | 'choice' | 'manual';

export interface RecordedValueState {
  secret: boolean;
  /** Only for values that are not secret; secrets live in the run's memory, never in its record. */
  value: string | undefined;
  source: ValueSource;
}

export interface CheckState {
  label: string;
  passed: boolean;
  detail: string;
}

export interface StepState {
  status: StepStatus;
  attempt: number;
  exitCode: number | null;
  durationMs: number | null;
  message: string | null;
  checks: CheckState[];
  pgid: number | null;
  processMarker: string | null;
  logFile: string | null;
}

export interface RunState {
  id: string;
  runbook: { slug: string; title: string; contentHash: string };
  mode: RunMode;
  operator: string;
  workdir: string;
  status: RunStatus;
  createdAt: string;
  endedAt: string | null;
  values: Map<string, RecordedValueState>;
  steps: Map<string, StepState>;
  choices: Map<string, { stepId: string; candidates: string[]; secret: boolean }>;
  notes: { at: string; text: string }[];
  lastSeq: number;
}

export function emptyStep(): StepState {
  return {
    status: 'pending',
    attempt: 0,
    exitCode: null,
    durationMs: null,
    message: null,
    checks: [],
    pgid: null,
    processMarker: null,
    logFile: null,
  };
}

// Folds one recorded event into the run's state; the same function replays a journal after a restart.
export function applyRecord(state: RunState | undefined, record: RunEventRecord): RunState {
  const { event } = record;
  if (event.type === 'run-created') {
    return {
      id: record.runId,
      runbook: event.runbook,
      mode: event.mode,
      operator: event.operator,
      workdir: event.workdir,
      status: 'active',
      createdAt: record.at,
      endedAt: null,
      values: new Map(
        Object.entries(event.params).map(([name, recorded]) => [
          name,
          { secret: recorded.secret, value: recorded.secret ? undefined : recorded.value, source: 'param' as const },
        ]),
      ),
      steps: new Map(),
      choices: new Map(),
      notes: [],
      lastSeq: record.seq,
    };
  }
  if (!state) throw new Error(`run ${record.runId} has events before it was created`);
  state.lastSeq = record.seq;
  const step = (id: string): StepState => {
    let current = state.steps.get(id);
    if (!current) {
      current = emptyStep();
      state.steps.set(id, current);
    }
    return current;
  };
  switch (event.type) {
    case 'step-started':
      Object.assign(step(event.stepId), {
        status: 'running',
        attempt: event.attempt,
        exitCode: null,
        durationMs: null,
        message: null,
        checks: [],
        pgid: null,
        processMarker: event.processMarker,
        logFile: null,
      });
      break;
    case 'step-spawned':
      step(event.stepId).pgid = event.pgid;
      break;
    case 'output-truncated':
      step(event.stepId).logFile = event.logFile;
      break;
    case 'check-result':
      step(event.stepId).checks.push({ label: event.label, passed: event.passed, detail: event.detail });
      break;
    case 'wait-retry':
      step(event.stepId).checks = [];
      break;
    case 'step-finished':
      Object.assign(step(event.stepId), {
        status: event.outcome,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
        message: event.message,
        pgid: null,
      });
      break;
    case 'captured':
    case 'value-overridden':
    case 'candidate-chosen': {
      const source = event.type === 'captured' ? 'capture' : event.type === 'value-overridden' ? 'override' : 'choice';
      state.values.set(event.name, {
        secret: event.value.secret,
        value: event.value.secret ? undefined : event.value.value,
        source,
      });
      state.choices.delete(event.name);
      break;
    }
    case 'capture-candidates':
      state.choices.set(event.name, { stepId: event.stepId, candidates: event.candidates, secret: event.secret });
      break;
    case 'step-skipped':
      step(event.stepId).status = 'skipped';
      break;
    case 'manual-acknowledged': {
      step(event.stepId).status = 'acknowledged';
      const entered = event.value;
      if (entered) {
        state.values.set(entered.name, {
          secret: entered.recorded.secret,
          value: entered.recorded.secret ? undefined : entered.recorded.value,
          source: 'manual',
        });
      }
      break;
    }
    case 'note-added':
      state.notes.push({ at: record.at, text: event.text });
      break;
    case 'run-ended':
      state.status = event.status;
      state.endedAt = record.at;
      break;
    case 'output':
    case 'capture-failed':
      break;
  }
  return state;
}
