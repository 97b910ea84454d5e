import { readFile } from 'node:fs/promises';
import type { ExportRecord } from '../../protocol/index.ts';
import { extractEmbeddedJson, renderRecordHtml } from './render-html.ts';
import { type Verdict, verifyRecordObject } from './verify-record.ts';

export type FileVerdict = Verdict & { format: 'json' | 'html' | 'pdf' };

// `drill verify FILE`: a record in any of its formats, checked against the hash chain it carries.
// An HTML record must also be exactly the page its embedded JSON renders to.
export async function verifyRecordFile(file: string): Promise<FileVerdict> {
  const bytes = await readFile(file);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    const { readAttachedRecordJson } = await import('./pdf-attachment.ts');
    const json = await readAttachedRecordJson(bytes).catch(() => null);
    if (json === null)
      return { format: 'pdf', intact: false, where: 'the PDF', reason: 'it carries no Drillbook record' };
    return { format: 'pdf', ...verifyJsonText(json) };
  }
  const text = bytes.toString('utf8');
  if (/^\s*</.test(text)) {
    const json = extractEmbeddedJson(text);
    if (json === null)
      return { format: 'html', intact: false, where: 'the HTML', reason: 'it embeds no Drillbook record' };
    const verdict = verifyJsonText(json);
    if (!verdict.intact) return { format: 'html', ...verdict };
    const expected = renderRecordHtml(JSON.parse(json) as ExportRecord);
    if (expected !== text) {
      return {
        format: 'html',
        intact: false,
        where: `the HTML, line ${firstDifferentLine(expected, text)}`,
        reason: 'the page is not what its embedded record renders to',
      };
    }
    return { format: 'html', ...verdict };
  }
  return { format: 'json', ...verifyJsonText(text) };
}

function verifyJsonText(text: string): Verdict {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { intact: false, where: 'the record', reason: `not JSON: ${(error as Error).message}` };
  }
  return verifyRecordObject(raw);
}

function firstDifferentLine(expected: string, found: string): number {
  const a = expected.split('\n');
  const b = found.split('\n');
  const index = a.findIndex((line, position) => line !== b[position]);
  return (index === -1 ? a.length : index) + 1;
}
