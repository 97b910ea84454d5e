import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
} from 'pdf-lib';
import type { ExportRecord } from '../../protocol/index.ts';

export const RECORD_ATTACHMENT = 'drillbook-record.json';

// The JSON record as a file attached to the PDF (any reader lists it; verify reads it back).
export async function attachRecordJson(pdf: Uint8Array, record: ExportRecord): Promise<Uint8Array> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  await document.attach(Buffer.from(JSON.stringify(record), 'utf8'), RECORD_ATTACHMENT, {
    mimeType: 'application/json',
    description: 'The Drillbook record this PDF was rendered from, with its hash chain',
  });
  document.setSubject(`Drillbook run ${record.summary.runId}; journal head ${record.chain.head}`);
  return document.save();
}

// The attached record's JSON text, or null when the PDF has none.
export async function readAttachedRecordJson(pdf: Uint8Array): Promise<string | null> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const names = document.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const files = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const list = files?.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (!list) return null;
  for (let index = 0; index + 1 < list.size(); index += 2) {
    const name = list.lookup(index);
    const text = name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : '';
    if (text !== RECORD_ATTACHMENT) continue;
    const spec = list.lookup(index + 1, PDFDict);
    const stream = spec.lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
    if (!(stream instanceof PDFRawStream)) return null;
    return Buffer.from(decodePDFRawStream(stream).decode()).toString('utf8');
  }
  return null;
}
