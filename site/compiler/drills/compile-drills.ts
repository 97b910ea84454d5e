import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DrillSpec, Manifest } from '../../../protocol/index.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { compileDrillSource } from './compile-drill.ts';

// Every drill in a folder (content/drills/*.yaml), checked against the compiled runbooks.
export async function compileDrills(
  directory: string,
  manifest: Pick<Manifest, 'runbooks'>,
  root: string = process.cwd(),
): Promise<{ drills: DrillSpec[]; diagnostics: Diagnostic[] }> {
  const files = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const drills: DrillSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of files.filter((file) => /\.ya?ml$/.test(file)).sort()) {
    const absolute = path.join(directory, name);
    const result = compileDrillSource(await readFile(absolute, 'utf8'), path.relative(root, absolute), manifest);
    if (result.ok) drills.push(result.drill);
    else diagnostics.push(...result.diagnostics);
  }
  return { drills, diagnostics };
}
