import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileRunbooks } from './compile-runbooks.ts';
import { RunbookBuildError } from './diagnostics.ts';

// `npm run lint:runbooks [-- --dir DIR --manifest FILE]`: validate runbooks without building the site.
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'content/runbooks' },
    manifest: { type: 'string' },
  },
});

const { manifest, diagnostics } = await compileRunbooks(path.resolve(values.dir));
if (diagnostics.length > 0) {
  console.error(new RunbookBuildError(diagnostics).message);
  process.exit(1);
}
if (values.manifest) await writeFile(values.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
const steps = manifest.runbooks.reduce((total, runbook) => total + runbook.steps.length, 0);
console.log(`${manifest.runbooks.length} runbooks, ${steps} steps: valid`);
