import { chainHash, GENESIS } from '../store/journal-line.ts';
import type { ChainedLine } from '../store/run-store.ts';

export type ChainCheck =
  | { intact: true; head: string; length: number }
  | { intact: false; index: number; seq: number | null; reason: string };

// The record's events as the journal wrote them: the event objects keep the journal's key order,
// so re-serializing one gives back the exact text its hash covers.
export function embedChain(lines: ChainedLine[]): { hash: string; record: unknown }[] {
  return lines.map((line) => ({ hash: line.hash, record: JSON.parse(line.body) as unknown }));
}

// Recomputes the chain over a record's events as they stand in the file (not as a schema would
// reorder them): the first event whose hash does not follow from its text and its predecessor.
export function checkChain(events: readonly unknown[]): ChainCheck {
  let previous = GENESIS;
  for (const [index, item] of events.entries()) {
    const entry = item as { hash?: unknown; record?: { seq?: unknown } } | null;
    const seq = typeof entry?.record?.seq === 'number' ? entry.record.seq : null;
    if (typeof entry?.hash !== 'string' || entry.record === undefined)
      return { intact: false, index, seq, reason: 'not a chained event' };
    if (chainHash(previous, JSON.stringify(entry.record)) !== entry.hash)
      return { intact: false, index, seq, reason: "its hash does not match its content and its predecessor's hash" };
    previous = entry.hash;
  }
  return { intact: true, head: previous, length: events.length };
}

export { GENESIS };
