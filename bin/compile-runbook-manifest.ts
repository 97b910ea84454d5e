import { existsSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_SCHEMA_VERSION, type Manifest, ManifestSchema, type RunbookSpec } from '../protocol/index.ts';
import { RunnerError } from '../runner/errors.ts';
import { DrillError } from '../runner/headless/drill-error.ts';
import { compileRunbookFile } from '../site/compiler/compile-runbook.ts';
import { compileDrills } from '../site/compiler/drills/compile-drills.ts';

// The one runbook compiled from its source, as the build compiles it for the page, with the
// drills that need no other runbook: the runner never imports site/, so bin/ hands the compiler over.
export async function compileRunbookManifest(root: string, slug: string): Promise<Manifest> {
  const runbooks = [await compileRunbookSpec(root, slug)];
  const { drills } = await compileDrills(path.join(root, 'content/drills'), { runbooks }, root);
  return ManifestSchema.parse({ schemaVersion: MANIFEST_SCHEMA_VERSION, runbooks, drills });
}

// The one runbook compiled from its source, refused with its first problem.
export async function compileRunbookSpec(root: string, slug: string): Promise<RunbookSpec> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) throw new RunnerError('NOT_FOUND', `no runbook "${slug}"`);
  const file = path.join(root, 'content/runbooks', `${slug}.mdx`);
  if (!existsSync(file)) throw new RunnerError('NOT_FOUND', `no runbook "${slug}" in content/runbooks`);
  const result = await compileRunbookFile(file, path.relative(root, file));
  if (!result.ok) {
    const first = result.diagnostics[0];
    throw new DrillError(
      'REFUSED',
      `runbook "${slug}" does not compile (${first?.file}:${first?.line}: ${first?.message}); run npm run lint:runbooks`,
    );
  }
  return result.runbook;
}
