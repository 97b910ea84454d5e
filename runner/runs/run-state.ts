import type {
  CheckResult,
  ChoiceView,
  KubeTarget,
  NoteView,
  PreflightItemView,
  RunbookRef,
  RunEventRecord,
  RunMode,
  RunStatus,
  StepStatus,
  ValueSource,
} from '../../protocol/index.ts';
import { logFileName } from '../attempts/output-pipeline.ts';

export interface RecordedValueState {
  secret: boolean;
  /** Only for values that are not secret; secrets live in the run's memory, never in its record. */
  value: string | undefined;
  source: ValueSource;
}

export interface StepState {
  status: StepStatus;
  attempt: number;
  exitCode: number | null;
  durationMs: number | null;
  message: string | null;
  checks: CheckResult[];
  pgid: number | null;
  processMarker: string | null;
  /** The full log offered for download: of a truncated output, or of a step cut short. */
  logFile: string | null;
  /** The log the current attempt writes to (its latest poll). */
  currentLog: string | null;
  /** The node a fan-out attempt is on now; null for a step that runs once. */
  node: string | null;
  startedAt: string | null;
  /** When the step last showed a sign of life (a record about it). */
  lastSeenAt: string | null;
}

export interface RunState {
  id: string;
  runbook: RunbookRef;
  mode: RunMode;
  operator: string;
  /** The cluster the run is pinned to; null when none. */
  target: KubeTarget | null;
  workdir: string;
  status: RunStatus;
  createdAt: string;
  endedAt: string | null;
  values: Map<string, RecordedValueState>;
  steps: Map<string, StepState>;
  choices: Map<string, Omit<ChoiceView, 'name'>>;
  notes: NoteView[];
  /** The preflight checklist, by item id, in the order checked. */
  preflight: Map<string, PreflightItemView>;
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
    currentLog: null,
    node: null,
    startedAt: null,
    lastSeenAt: null,
  };
}

// How long a step ran, as far as its records tell: for a step cut short by a stop of the runner.
export function elapsedMsOf(step: StepState): number {
  if (step.startedAt === null || step.lastSeenAt === null) return 0;
  return Math.max(0, Date.parse(step.lastSeenAt) - Date.parse(step.startedAt));
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
      target: event.target,
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
      preflight: new Map(),
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
        currentLog: logFileName(event.stepId, event.attempt),
        node: null,
        startedAt: record.at,
        lastSeenAt: record.at,
      });
      break;
    case 'step-spawned':
      Object.assign(step(event.stepId), { pgid: event.pgid, lastSeenAt: record.at });
      break;
    case 'output':
      step(event.stepId).lastSeenAt = record.at;
      break;
    case 'output-truncated':
      Object.assign(step(event.stepId), { logFile: event.logFile, lastSeenAt: record.at });
      break;
    case 'check-result': {
      const label = event.node === null ? event.label : `${event.label} (${event.node})`;
      step(event.stepId).checks.push({ label, passed: event.passed, detail: event.detail });
      break;
    }
    case 'wait-retry': {
      const current = step(event.stepId);
      const { node } = current;
      Object.assign(current, {
        checks: node === null ? [] : current.checks.filter((check) => !check.label.endsWith(` (${node})`)),
        currentLog: logFileName(event.stepId, event.attempt, event.poll, node ?? undefined),
        lastSeenAt: record.at,
      });
      break;
    }
    case 'node-started':
      Object.assign(step(event.stepId), {
        node: event.node,
        pgid: null,
        currentLog: logFileName(event.stepId, event.attempt, 1, event.node),
        lastSeenAt: record.at,
      });
      break;
    case 'node-finished':
      Object.assign(step(event.stepId), { pgid: null, lastSeenAt: record.at });
      break;
    case 'step-finished': {
      const current = step(event.stepId);
      Object.assign(current, {
        status: event.outcome,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
        message: event.message,
        pgid: null,
        logFile: event.outcome === 'interrupted' ? (current.logFile ?? current.currentLog) : current.logFile,
      });
      break;
    }
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
    case 'preflight-checked':
      state.preflight.set(event.item.id, { ...event.item, overriddenBecause: null });
      break;
    case 'preflight-overridden': {
      const item = state.preflight.get(event.itemId);
      if (item) item.overriddenBecause = event.reason;
      break;
    }
    case 'note-added':
      state.notes.push({ at: record.at, text: event.text });
      break;
    case 'run-ended':
      state.status = event.status;
      state.endedAt = record.at;
      break;
    case 'capture-failed':
    case 'pods-progress':
    case 'warning':
    case 'hint-shown':
      break;
  }
  return state;
}
