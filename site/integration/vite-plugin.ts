import path from 'node:path';
import type { Plugin } from 'vite';
import type { Manifest } from '../../protocol/index.ts';
import { transformRunbookSource } from './source-transform.ts';

const MANIFEST_MODULE = 'virtual:drillbook/manifest';
const RESOLVED_MANIFEST_MODULE = `\0${MANIFEST_MODULE}`;

export interface DrillbookViteOptions {
  runbooksDir: string;
  getManifest: () => Manifest;
  /** Recompiles after a runbook changed in dev; returns false when it no longer validates. */
  recompile: () => Promise<boolean>;
}

// Serves the compiled manifest to components and rewrites runbook sources before MDX sees them.
export function drillbookVitePlugin(options: DrillbookViteOptions): Plugin {
  const runbooksDir = path.resolve(options.runbooksDir);
  const isRunbook = (file: string) =>
    file.endsWith('.mdx') && path.resolve(file).startsWith(`${runbooksDir}${path.sep}`);
  return {
    name: 'drillbook:runbooks',
    enforce: 'pre',
    resolveId(id) {
      return id === MANIFEST_MODULE ? RESOLVED_MANIFEST_MODULE : undefined;
    },
    load(id) {
      return id === RESOLVED_MANIFEST_MODULE ? `export default ${JSON.stringify(options.getManifest())};` : undefined;
    },
    transform(code, id) {
      // Only the module itself holds the MDX source; `?query` variants are Astro's wrappers.
      if (id.includes('?') || !isRunbook(id)) return undefined;
      return { code: transformRunbookSource(code, path.basename(id, '.mdx')), map: null };
    },
    configureServer(server) {
      const refresh = async (file: string) => {
        if (!isRunbook(file)) return;
        await options.recompile();
        const module = server.moduleGraph.getModuleById(RESOLVED_MANIFEST_MODULE);
        if (module) server.moduleGraph.invalidateModule(module);
      };
      for (const event of ['change', 'add', 'unlink'] as const) server.watcher.on(event, (file) => void refresh(file));
    },
  };
}
