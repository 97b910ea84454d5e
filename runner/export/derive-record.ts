import {
  type DisplayValue,
  type RecordAttempt,
  type RecordSummary,
  type RecordValue,
  type RunEventRecord,
  renderCommandForDisplay,
  type TimelineEvent,
} from '../../protocol/index.ts';
import { timelineOf } from './record-timeline.ts';

const EXCERPT_LINES = 60;
const EXCERPT_BYTES = 16 * 1024;

/** The parts of a record that follow from the journal alone, so verify can recompute them. */
export interface JournalFacts {
  summary: RecordSummary;
  attempts: RecordAttempt[];
  values: RecordValue[];
  timeline: TimelineEvent[];
}

// Reads a run's journal into what a postmortem asks: who, where, when, what ran, what it printed
// and which values it used. Pure: the same events always give the same facts.
export function deriveJournalFacts(records: readonly RunEventRecord[]): JournalFacts {
  const first = records[0];
  if (first?.event.type !== 'run-created') throw new Error('a journal starts with its run-created event');
  const created = first.event;
  const values = new Map<string, RecordValue>();
  const candidatesFrom = new Map<string, string>();
  const attempts = new Map<string, RecordAttempt & { bytes: number }>();
  let endedAt: string | null = null;
  let outcome: RecordSummary['outcome'] = 'active';
  const setValue = (value: RecordValue) => values.set(value.name, value);
  for (const [name, recorded] of Object.entries(created.params))
    setValue({ name, ...recorded, source: 'param', step: null, at: first.at });
  for (const { at, event } of records) {
    const key = 'stepId' in event && 'attempt' in event ? `${event.stepId}#${event.attempt}` : '';
    const current = attempts.get(key);
    switch (event.type) {
      case 'step-started':
        if (current) break;
        attempts.set(key, {
          step: event.stepId,
          attempt: event.attempt,
          stepHash: event.stepHash,
          startedAt: at,
          endedAt: null,
          durationMs: null,
          outcome: null,
          exitCode: null,
          command: renderCommandForDisplay(event.script, (name) => displayValueOf(values.get(name))),
          excerpt: '',
          excerptCut: false,
          tail: null,
          log: null,
          checks: [],
          bytes: 0,
        });
        break;
      case 'output':
        if (current) appendExcerpt(current, event.text);
        break;
      case 'output-truncated':
        if (current) Object.assign(current, { tail: event.tail, log: event.logFile, excerptCut: true });
        break;
      case 'check-result':
        current?.checks.push({ label: event.label, passed: event.passed, detail: event.detail });
        break;
      case 'step-finished':
        if (current)
          Object.assign(current, {
            endedAt: at,
            durationMs: event.durationMs,
            outcome: event.outcome,
            exitCode: event.exitCode,
          });
        break;
      case 'captured':
        setValue({ name: event.name, ...event.value, source: 'capture', step: event.stepId, at });
        break;
      case 'capture-candidates':
        candidatesFrom.set(event.name, event.stepId);
        break;
      case 'candidate-chosen':
        setValue({
          name: event.name,
          ...event.value,
          source: 'choice',
          step: candidatesFrom.get(event.name) ?? null,
          at,
        });
        break;
      case 'value-overridden':
        setValue({ name: event.name, ...event.value, source: 'override', step: null, at });
        break;
      case 'manual-acknowledged':
        if (event.value)
          setValue({ name: event.value.name, ...event.value.recorded, source: 'manual', step: event.stepId, at });
        break;
      case 'run-ended':
        endedAt = at;
        outcome = event.status;
        break;
    }
  }
  const last = records[records.length - 1] as RunEventRecord;
  return {
    summary: {
      runId: first.runId,
      runbook: created.runbook,
      cluster: created.target,
      operator: created.operator,
      mode: created.mode,
      startedAt: first.at,
      endedAt,
      outcome,
      durationMs: Math.max(0, Date.parse(endedAt ?? last.at) - Date.parse(first.at)),
    },
    attempts: [...attempts.values()].map(({ bytes: _bytes, ...attempt }) => attempt),
    values: [...values.values()],
    timeline: timelineOf(records),
  };
}

function displayValueOf(value: RecordValue | undefined): DisplayValue {
  if (!value) return { known: false, secret: false };
  return value.secret ? { known: true, secret: true } : { known: true, secret: false, value: value.value ?? '' };
}

function appendExcerpt(attempt: RecordAttempt & { bytes: number }, text: string): void {
  if (attempt.excerptCut) return;
  const room = EXCERPT_BYTES - attempt.bytes;
  let piece = text.length > room ? text.slice(0, room) : text;
  const lines = `${attempt.excerpt}${piece}`.split('\n');
  if (lines.length > EXCERPT_LINES) piece = '';
  attempt.excerpt =
    lines.length > EXCERPT_LINES ? lines.slice(0, EXCERPT_LINES).join('\n') : `${attempt.excerpt}${piece}`;
  attempt.bytes += piece.length;
  if (piece.length < text.length) attempt.excerptCut = true;
}
