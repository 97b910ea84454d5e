import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRecord } from '../../../../protocol/index.ts';
import { renderRecordHtml } from '../../../../runner/export/render-html.ts';
import { verifyRecordFile } from '../../../../runner/export/verify-file.ts';
import type { JournalRunStore } from '../../../../runner/store/journal-run-store.ts';
import { tempDir } from '../../../helpers/run-script.ts';
import { writeFixtureRun } from './record-fixture.ts';

let training: ExportRecord;
let live: ExportRecord;
const stores: JournalRunStore[] = [];

beforeAll(async () => {
  const trainingRun = await writeFixtureRun({ mode: 'training' });
  const liveRun = await writeFixtureRun();
  stores.push(trainingRun.store, liveRun.store);
  training = trainingRun.record;
  live = liveRun.record;
});
afterAll(() => {
  for (const store of stores) store.close();
});

// A training run's record carries the trainee report; verify holds it to the events.
describe("a training run's record", () => {
  it('carries the trainee report, from the events; other runs carry none', () => {
    expect(live.trainee).toBeNull();
    expect(training.trainee).toMatchObject({ operator: 'ana', totals: { steps: training.steps.length } });
    expect(training.trainee?.steps.map((step) => step.id)).toEqual(training.steps.map((step) => step.id));
  });

  it('shows it in the HTML (and so in the PDF printed from it)', () => {
    const html = renderRecordHtml(training);
    expect(html).toContain('<h2>Trainee report</h2>');
    expect(html).toContain(`Steps done</th><td>${training.trainee?.totals.done} of ${training.steps.length}`);
    expect(renderRecordHtml(live)).not.toContain('Trainee report');
  });

  it('fails verify when the report was edited', async () => {
    const folder = await tempDir('drillbook-trainee-');
    const intact = path.join(folder, 'intact.json');
    await writeFile(intact, JSON.stringify(training));
    expect(await verifyRecordFile(intact)).toMatchObject({ intact: true });
    const edited = JSON.parse(JSON.stringify(training)) as ExportRecord;
    if (edited.trainee) edited.trainee.totals.hintsUsed += 3;
    const file = path.join(folder, 'edited.json');
    await writeFile(file, JSON.stringify(edited));
    expect(await verifyRecordFile(file)).toMatchObject({ intact: false, where: 'trainee' });
  });
});
