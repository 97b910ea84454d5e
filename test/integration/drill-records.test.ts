import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDict, PDFDocument, PDFName, type PDFRef } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAttachedRecordJson } from '../../runner/export/pdf-attachment.ts';
import { runDrill, runIdOf } from '../helpers/drill-cli.ts';
import { readPdfPages } from '../helpers/pdf-text.ts';
import { tempDir } from '../helpers/run-script.ts';

const PASSWORD = /tutorial-[0-9a-f]{12}/;

let stateDir: string;
let folder: string;
let runId: string;
let head: string;
const drill = (args: string[]) => runDrill(stateDir, args);

const file = (extension: string) => path.join(folder, `tutorial.${extension}`);

beforeAll(async () => {
  stateDir = await tempDir('drillbook-records-state-');
  folder = await tempDir('drillbook-records-');
  const ran = await drill([
    ...['run', 'getting-started', '--param', 'slowSeconds=1', '--choose', 'releaseName=etcd-new'],
    ...['--param', 'ticketId=OPS-42', '--yes', '--operator', 'ana', '--record', file('pdf')],
  ]);
  expect(ran.code, ran.stderr).toBe(0);
  runId = runIdOf(ran.stdout);
  for (const format of ['md', 'json', 'html']) {
    const exported = await drill(['export', runId, '--format', format, '--out', file(format)]);
    expect(exported.code, exported.stderr).toBe(0);
  }
  head = (JSON.parse(await readFile(file('json'), 'utf8')) as { chain: { head: string } }).chain.head;
}, 180_000);

describe('the tutorial run as an incident record', () => {
  it('exports in four formats, each naming the run, its steps and the timeline, with the password masked', async () => {
    const markdown = await readFile(file('md'), 'utf8');
    expect(markdown).toContain('## Timeline');
    expect(markdown).toMatch(/\| step-finished \| runner \| clean-up \|/);
    const html = await readFile(file('html'), 'utf8');
    expect(html).toContain('Getting started with Drillbook');
    expect(html).toContain(`Journal head sha256 ${head}`);
    // The hundred thousand lines are folded and capped; the full log is named with its hash.
    const longOutput = html.slice(html.indexOf('<section data-step="long-output">'));
    expect(longOutput.slice(0, longOutput.indexOf('</section>'))).toMatch(
      /<details><summary>Output \(\d+ lines, cut\)[\s\S]*Full log: <code>long-output.1.log<\/code>, \d+ bytes, sha256 <code>[0-9a-f]{64}/,
    );
    const pdf = (await readPdfPages(file('pdf'))).join('\n');
    expect(pdf).toContain('Getting started with Drillbook');
    expect(pdf).toContain('cleaned up for OPS-42');
    for (const text of [markdown, html, pdf, await readFile(file('json'), 'utf8')]) expect(text).not.toMatch(PASSWORD);
  });

  it('prints page numbers and the verification line on every page of the PDF', async () => {
    const pages = await readPdfPages(file('pdf'));
    expect(pages.length).toBeGreaterThan(1);
    for (const [index, text] of pages.entries()) {
      expect(text).toContain(`Page ${index + 1} of ${pages.length}`);
      expect(text.replace(/ /g, '')).toContain(`Journalheadsha256${head}`);
    }
  });

  it('verifies intact in JSON, HTML and PDF, with the same head', async () => {
    for (const format of ['json', 'html', 'pdf']) {
      const verified = await drill(['verify', file(format)]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain(`intact: `);
      expect(verified.stdout).toContain(`journal head sha256 ${head} (${format})`);
    }
  });

  it('fails verification on an edited record in every format', async () => {
    const json = await readFile(file('json'), 'utf8');
    await writeFile(file('edited.json'), json.replace('cleaned up for OPS-42', 'cleaned up for OPS-43'));
    const html = await readFile(file('html'), 'utf8');
    await writeFile(
      file('edited.html'),
      html.replace('<span class="outcome-completed">completed</span>', '<span>fine</span>'),
    );
    await writeFile(
      file('edited.pdf'),
      await replaceAttachedJson(await readFile(file('pdf')), (text) =>
        text.replace('"operator":"ana"', '"operator":"bob"'),
      ),
    );
    for (const format of ['json', 'html', 'pdf']) {
      const verified = await drill(['verify', file(`edited.${format}`)]);
      expect(verified.code, verified.stdout).toBe(1);
      expect(verified.stdout).toContain(`NOT intact (${format})`);
    }
  });
});

// What a forger would do to a PDF record: rewrite the attached JSON in place.
async function replaceAttachedJson(pdf: Uint8Array, edit: (json: string) => string): Promise<Uint8Array> {
  const json = (await readAttachedRecordJson(pdf)) as string;
  const edited = edit(json);
  expect(edited).not.toBe(json);
  const document = await PDFDocument.load(pdf);
  const names = document.catalog.lookup(PDFName.of('Names'), PDFDict);
  const list = names.lookup(PDFName.of('EmbeddedFiles'), PDFDict).lookup(PDFName.of('Names')) as unknown as {
    lookup(index: number, type: typeof PDFDict): PDFDict;
  };
  const ef = list.lookup(1, PDFDict).lookup(PDFName.of('EF'), PDFDict);
  const ref = ef.get(PDFName.of('F')) as PDFRef;
  document.context.assign(ref, document.context.flateStream(Buffer.from(edited, 'utf8'), { Type: 'EmbeddedFile' }));
  return document.save();
}
