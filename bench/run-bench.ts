// `npm run bench`: the runner against baselines measured in the same run, as ratios.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRunbooks } from '../site/compiler/compile-runbooks.ts';
import { tempDir } from '../test/helpers/run-script.ts';
import { startRunner } from '../test/helpers/runner-process.ts';
import { benchDispatch } from './dispatch.ts';
import { benchDrillReset } from './drill-reset.ts';
import { benchExportRecord } from './export-record.ts';
import { benchFirstByte } from './first-byte.ts';
import { benchPageWeight } from './page-weight.ts';
import { benchPracticeCluster } from './practice-cluster.ts';
import { benchStreaming } from './streaming.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = Number(process.env.BENCH_STEPS ?? 200);
const MEGABYTES = Number(process.env.BENCH_MB ?? 200);
const SECRETS = {
  secretOne: 'bench-secret-one-1f2e',
  secretTwo: 'bench-secret-two-3d4c',
  secretThree: 'bench-secret-3-5b6a',
};

const { manifest, diagnostics } = await compileRunbooks(path.join(root, 'bench/fixtures'), root);
if (diagnostics.length > 0) throw new Error(JSON.stringify(diagnostics));
const manifestFile = path.join(await tempDir('drillbook-bench-'), 'manifest.json');
await writeFile(manifestFile, JSON.stringify(manifest));
console.log(benchPageWeight(path.join(root, 'dist')));
const runner = await startRunner({ manifestFile });
try {
  console.log(await benchDispatch(runner, STEPS));
  console.log(await benchFirstByte(runner, SECRETS));
  console.log(await benchStreaming(runner, MEGABYTES, SECRETS));
  console.log(await benchExportRecord(runner, MEGABYTES, SECRETS));
} finally {
  await runner.stop();
}
console.log(await benchPracticeCluster());
console.log(await benchDrillReset(root));
