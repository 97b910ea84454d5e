import path from 'node:path';
import type { RunbookSpec } from '../../protocol/index.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';
import type { RunStore } from '../store/run-store.ts';
import { recordRun } from './build-record.ts';
import { exportRunMarkdown, serializeRunJson } from './export-run.ts';
import { renderRecordHtml } from './render-html.ts';

export const RECORD_FORMATS = ['md', 'json', 'html', 'pdf'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

const CONTENT_TYPES: Record<RecordFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

export interface ExportedRecord {
  body: string | Uint8Array;
  contentType: string;
  fileName: string;
}

// The format a record file is asked in, by its extension; JSON when it has none of them.
export function formatOfFile(file: string): RecordFormat {
  const extension = path.extname(file).slice(1).toLowerCase();
  if (extension === 'markdown') return 'md';
  if (extension === 'htm') return 'html';
  return (RECORD_FORMATS as readonly string[]).includes(extension) ? (extension as RecordFormat) : 'json';
}

// One run's incident record in one format, for the API, the runs list and the headless runner.
export async function exportRecord(
  format: RecordFormat,
  runtime: RunRuntime,
  runbook: RunbookSpec | undefined,
  store: RunStore,
): Promise<ExportedRecord> {
  const fileName = `drillbook-${runtime.id}.${format}`;
  if (format === 'md') return { body: exportRunMarkdown(runtime, runbook), contentType: CONTENT_TYPES.md, fileName };
  const record = await recordRun(runtime, runbook, store);
  const body =
    format === 'json'
      ? serializeRunJson(record)
      : format === 'html'
        ? renderRecordHtml(record)
        : await renderPdf(record);
  return { body, contentType: CONTENT_TYPES[format], fileName };
}

// Chromium's driver and the PDF library load on the first PDF export only: the runner's memory
// stays as it was for everyone else (see the 200 MB streaming test).
async function renderPdf(record: Parameters<typeof renderRecordHtml>[0]): Promise<Uint8Array> {
  const { renderRecordPdf } = await import('./render-pdf.ts');
  return renderRecordPdf(record);
}
