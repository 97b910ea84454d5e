import type { RunEventRecord } from '../../protocol/index.ts';
import { decodeLine, GENESIS } from './journal-line.ts';

export interface ParsedJournal {
  records: RunEventRecord[];
  /** The hash of the last valid line: where the chain goes on. */
  lastHash: string;
  /** Bytes of whole, valid lines. */
  validBytes: number;
  /** After the valid lines comes an unfinished or broken last line: a crash mid-write, or a write under way. */
  tornTail: boolean;
  /** A line before the end failed its checksum (1-based); null when the journal is whole. */
  damagedAt: number | null;
}

// Reads a journal's text line by line along the hash chain, without touching the file: what
// loading (which then cuts a torn tail off) and watching another process's run have in common.
export function parseJournal(text: string): ParsedJournal {
  const records: RunEventRecord[] = [];
  let lastHash = GENESIS;
  let validBytes = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const isLast = index === lines.length - 1;
    if (isLast && line === '') break;
    const decoded = isLast ? ({ ok: false, reason: 'no newline' } as const) : decodeLine(line, lastHash);
    if (!decoded.ok) {
      const onlyBlankAfter = lines.slice(index + 1).every((rest) => rest === '');
      return { records, lastHash, validBytes, tornTail: onlyBlankAfter, damagedAt: onlyBlankAfter ? null : index + 1 };
    }
    records.push(decoded.record);
    lastHash = decoded.hash;
    validBytes += Buffer.byteLength(line) + 1;
  }
  return { records, lastHash, validBytes, tornTail: false, damagedAt: null };
}
