import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_SCHEMA_VERSION, type Manifest, ManifestSchema, type RunbookSpec } from '../../protocol/index.ts';
import { compileRunbookFile } from './compile-runbook.ts';
import type { Diagnostic } from './diagnostics.ts';

export interface CompiledRunbooks {
  manifest: Manifest;
  diagnostics: Diagnostic[];
}

// Compiles every runbook in a folder into one manifest; problems from all files are reported together.
export async function compileRunbooks(directory: string, root: string = process.cwd()): Promise<CompiledRunbooks> {
  const files = (await readdir(directory, { recursive: true })).filter((name) => name.endsWith('.mdx')).sort();
  const results = await Promise.all(
    files.map((name) => {
      const absolute = path.join(directory, name);
      return compileRunbookFile(absolute, path.relative(root, absolute));
    }),
  );
  const runbooks: RunbookSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const result of results) {
    if (result.ok) runbooks.push(result.runbook);
    else diagnostics.push(...result.diagnostics);
  }
  const manifest = ManifestSchema.parse({ schemaVersion: MANIFEST_SCHEMA_VERSION, runbooks });
  return { manifest, diagnostics };
}
