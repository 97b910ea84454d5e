import { createHash } from 'node:crypto';
import { type RunEventRecord, RunEventRecordSchema } from '../../protocol/index.ts';

export const GENESIS = '0'.repeat(64);

const PREFIX = '{"hash":"';
const MIDDLE = '","record":';

// One journal line, valid JSON: {"hash": …, "record": …}. The hash covers the record's exact text
// and the previous line's hash, so a torn write, a flipped byte or an edited line is detected on
// load, and the chain makes a run's history tamper-evident.
export function encodeLine(record: RunEventRecord, previousHash: string): { line: string; hash: string } {
  const body = JSON.stringify(record);
  const hash = chainHash(previousHash, body);
  return { line: `${PREFIX}${hash}${MIDDLE}${body}}\n`, hash };
}

export function chainHash(previousHash: string, body: string): string {
  return createHash('sha256').update(previousHash).update('\n').update(body).digest('hex');
}

export type DecodedLine = { ok: true; record: RunEventRecord; hash: string } | { ok: false; reason: string };

export function decodeLine(line: string, previousHash: string): DecodedLine {
  const hash = line.slice(PREFIX.length, PREFIX.length + 64);
  if (!line.startsWith(PREFIX) || line.slice(PREFIX.length + 64, PREFIX.length + 64 + MIDDLE.length) !== MIDDLE) {
    return { ok: false, reason: 'not a journal line' };
  }
  const body = line.slice(PREFIX.length + 64 + MIDDLE.length, -1);
  if (!line.endsWith('}') || chainHash(previousHash, body) !== hash) return { ok: false, reason: 'checksum mismatch' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const record = RunEventRecordSchema.safeParse(parsed);
  if (!record.success) return { ok: false, reason: `not a run event: ${record.error.issues[0]?.message ?? ''}` };
  return { ok: true, record: record.data, hash };
}

// The valid lines of a journal's text, each with the exact event text its hash covers; stops at
// the first line that breaks the chain.
export function readChainedLines(text: string): { hash: string; body: string }[] {
  const lines: { hash: string; body: string }[] = [];
  let previous = GENESIS;
  for (const line of text.split('\n')) {
    if (line === '' || !decodeLine(line, previous).ok) break;
    const hash = line.slice(PREFIX.length, PREFIX.length + 64);
    lines.push({ hash, body: line.slice(PREFIX.length + 64 + MIDDLE.length, -1) });
    previous = hash;
  }
  return lines;
}
