import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { DrillFileSchema, type DrillSpec, type RunbookSpec } from '../protocol/index.ts';
import { DrillError } from '../runner/headless/drill-error.ts';
import { compileDrillSource } from '../site/compiler/drills/compile-drill.ts';
import { compileRunbookSpec } from './compile-runbook-manifest.ts';

// content/drills/NAME.yaml validated as the build validates it, against the runbooks it names
// compiled from their sources.
export async function compileDrillSpec(root: string, name: string): Promise<DrillSpec> {
  const file = path.join(root, 'content/drills', `${name}.yaml`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !existsSync(file))
    throw new DrillError('USAGE', `no drill "${name}" in content/drills`);
  const source = await readFile(file, 'utf8');
  const slugs = DrillFileSchema.shape.runbooks.safeParse(safeYaml(source)?.runbooks);
  const runbooks: RunbookSpec[] = [];
  for (const entry of slugs.success ? slugs.data : [])
    runbooks.push(
      ...(await compileRunbookSpec(root, entry.slug)
        .then((runbook) => [runbook])
        .catch(() => [])),
    );
  const result = compileDrillSource(source, path.relative(root, file), { runbooks });
  if (!result.ok) {
    const first = result.diagnostics[0];
    throw new DrillError('REFUSED', `drill "${name}" is not valid (${first?.file}:${first?.line}: ${first?.message})`);
  }
  return result.drill;
}

function safeYaml(source: string): { runbooks?: unknown } | null {
  try {
    return YAML.parse(source) as { runbooks?: unknown } | null;
  } catch {
    return null;
  }
}
