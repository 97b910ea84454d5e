import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../common/chromium.ts';
import type { ExportRecord } from '../../protocol/index.ts';
import { attachRecordJson } from './pdf-attachment.ts';
import { renderRecordHtml, verificationLine } from './render-html.ts';

// The record as a PDF: its HTML printed by Chromium, page numbers and the verification line on
// every page, the JSON record attached so `drill verify` can check the file.
export async function renderRecordPdf(record: ExportRecord, html = renderRecordHtml(record)): Promise<Uint8Array> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) details.open = true;
    });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: `<div style="font-size:7px;width:100%;padding:0 12mm;color:#444;font-family:sans-serif">${escapeTemplate(`${record.summary.runbook.title}: run ${record.summary.runId}`)}</div>`,
      footerTemplate: `<div style="font-size:7px;width:100%;padding:0 12mm;color:#444;font-family:monospace;display:flex;justify-content:space-between;gap:8px"><span>${escapeTemplate(verificationLine(record))}</span><span style="white-space:nowrap">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      margin: { top: '16mm', bottom: '18mm', left: '12mm', right: '12mm' },
    });
    return await attachRecordJson(pdf, record);
  } finally {
    await browser.close();
  }
}

function escapeTemplate(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
