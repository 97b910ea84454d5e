import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Manifest } from '../../protocol/index.ts';
import { compileRunbooks } from '../compiler/compile-runbooks.ts';
import { formatDiagnostic, RunbookBuildError } from '../compiler/diagnostics.ts';
import { compileDrills } from '../compiler/drills/compile-drills.ts';
import { drillbookVitePlugin } from './vite-plugin.ts';

export const MANIFEST_FILE = 'drillbook/manifest.json';

export interface DrillbookOptions {
  runbooksDir: string;
  /** content/drills: validated against the runbooks at build time. */
  drillsDir?: string | undefined;
}

// Every runbook, then every drill against them, as the manifest the build writes; throws
// RunbookBuildError with every problem found.
export async function compileContent(root: string, options: DrillbookOptions): Promise<Manifest> {
  const compiled = await compileRunbooks(path.resolve(root, options.runbooksDir), root);
  if (compiled.diagnostics.length > 0) throw new RunbookBuildError(compiled.diagnostics);
  if (!options.drillsDir) return compiled.manifest;
  const drills = await compileDrills(path.resolve(root, options.drillsDir), compiled.manifest, root);
  if (drills.diagnostics.length > 0) throw new RunbookBuildError(drills.diagnostics);
  return { ...compiled.manifest, drills: drills.drills };
}

// Validates every runbook before Astro builds anything, and writes the step manifest beside the site.
export function drillbook(options: DrillbookOptions): AstroIntegration {
  let manifest: Manifest | undefined;
  return {
    name: 'drillbook',
    hooks: {
      'astro:config:setup': async ({ config, command, updateConfig, logger }) => {
        const root = fileURLToPath(config.root);
        const runbooksDir = path.resolve(root, options.runbooksDir);
        manifest = await compileContent(root, options);
        logger.info(`${manifest.runbooks.length} runbooks and ${manifest.drills.length} drills validated`);
        const recompile = async () => {
          const next = await compileRunbooks(runbooksDir, root);
          if (next.diagnostics.length > 0) {
            logger.error(next.diagnostics.map(formatDiagnostic).join('\n'));
            return false;
          }
          manifest = { ...next.manifest, drills: manifest?.drills ?? [] };
          return true;
        };
        const plugin = drillbookVitePlugin({ runbooksDir, getManifest: () => manifest as Manifest, recompile });
        updateConfig({ vite: { plugins: [plugin] } });
        if (command === 'dev') logger.info('runbooks are revalidated on every change');
      },
      'astro:build:done': async ({ dir, logger }) => {
        const target = new URL(MANIFEST_FILE, dir);
        await mkdir(new URL('.', target), { recursive: true });
        await writeFile(target, `${JSON.stringify(manifest, null, 2)}\n`);
        logger.info(`step manifest written to ${fileURLToPath(target)}`);
      },
    },
  };
}
