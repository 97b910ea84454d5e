import { type ExportRecord, ExportRecordSchema, type RunEventRecord } from '../../protocol/index.ts';
import { computeTraineeReport } from '../training/trainee-report.ts';
import { deriveJournalFacts, type JournalFacts } from './derive-record.ts';
import { checkChain } from './record-chain.ts';

export type Verdict =
  | { intact: true; head: string; events: number; record: ExportRecord }
  | { intact: false; where: string; reason: string };

// Whether a record is as exported: its events' hash chain recomputed from their text, its head and
// length, and every part that follows from the events (summary, attempts, values, timeline, and
// a training run's trainee report).
export function verifyRecordObject(raw: unknown): Verdict {
  const parsed = ExportRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      intact: false,
      where: issue?.path.join('.') || 'the record',
      reason: `not a Drillbook record: ${issue?.message}`,
    };
  }
  const record = parsed.data;
  const chain = checkChain((raw as { events: unknown[] }).events);
  if (!chain.intact) {
    return {
      intact: false,
      where: `event ${chain.index + 1}${chain.seq === null ? '' : ` (seq ${chain.seq})`}`,
      reason: chain.reason,
    };
  }
  if (chain.head !== record.chain.head || chain.length !== record.chain.length) {
    return {
      intact: false,
      where: 'chain',
      reason: `the events end at ${chain.head} (${chain.length}), the record says ${record.chain.head} (${record.chain.length})`,
    };
  }
  const records = record.events.map((event) => event.record);
  const facts = deriveJournalFacts(records);
  const difference = findDifference(facts, record) ?? traineeDifference(records, record);
  if (difference) return { intact: false, where: difference, reason: 'differs from what the events say' };
  return { intact: true, head: chain.head, events: chain.length, record };
}

function findDifference(facts: JournalFacts, record: ExportRecord): string | null {
  if (canonical(facts.summary) !== canonical(record.summary)) {
    const key = Object.keys(facts.summary).find(
      (name) =>
        canonical(facts.summary[name as keyof typeof facts.summary]) !==
        canonical(record.summary[name as keyof typeof record.summary]),
    );
    return `summary.${key ?? ''}`;
  }
  for (const part of ['attempts', 'values', 'timeline'] as const) {
    const expected: unknown[] = facts[part];
    const found: unknown[] = record[part];
    const length = Math.max(expected.length, found.length);
    for (let index = 0; index < length; index++) {
      if (canonical(expected[index]) !== canonical(found[index]))
        return `${part}[${index}]${labelOf(expected[index] ?? found[index])}`;
    }
  }
  return null;
}

// A training run's report follows from its events and the record's steps; other runs have none.
function traineeDifference(records: ExportRecord['events'][number]['record'][], record: ExportRecord): string | null {
  const expected =
    record.summary.mode === 'training'
      ? computeTraineeReport(records as RunEventRecord[], { steps: record.steps })
      : null;
  return canonical(expected) === canonical(record.trainee) ? null : 'trainee';
}

function labelOf(item: unknown): string {
  const entry = item as { id?: string; name?: string; step?: string; attempt?: number };
  if (entry?.id) return ` (${entry.id})`;
  if (entry?.attempt) return ` (${entry.step} attempt ${entry.attempt})`;
  return entry?.name ? ` (${entry.name})` : '';
}

// JSON with sorted keys: the same facts compare equal whatever order their fields were written in.
export function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) =>
      item && typeof item === 'object' && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : item,
    ) ?? 'undefined'
  );
}
