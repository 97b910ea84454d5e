import type { RunEventRecord, TimelineEvent } from '../../protocol/index.ts';

const OPERATOR_ACTIONS = new Set([
  'run-created',
  'step-started',
  'step-skipped',
  'value-overridden',
  'candidate-chosen',
  'manual-acknowledged',
  'note-added',
  'preflight-overridden',
  'hint-shown',
  'run-ended',
]);
const LEFT_OUT = new Set(['output', 'step-spawned']);

// The run's timeline for a postmortem: every journal event but raw output chunks and process ids,
// in the shape incident tools take (see the README's mapping).
export function timelineOf(records: readonly RunEventRecord[]): TimelineEvent[] {
  const created = records[0]?.event;
  const operator = created?.type === 'run-created' ? created.operator : 'unknown';
  const timeline: TimelineEvent[] = [];
  for (const { seq, at, runId, event } of records) {
    if (LEFT_OUT.has(event.type)) continue;
    const { type, ...details } = event;
    const { stepId, ...data } = details as { stepId?: string } & Record<string, unknown>;
    timeline.push({
      id: `${runId}:${seq}`,
      time: at,
      type,
      actor: OPERATOR_ACTIONS.has(type) ? `operator:${operator}` : 'runner',
      step: stepId ?? stepOfItem(event),
      data,
    });
  }
  return timeline;
}

function stepOfItem(event: RunEventRecord['event']): string | null {
  return event.type === 'manual-acknowledged' ? event.stepId : null;
}
