// @ts-check
import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';
import { drillbook } from './site/integration/index.ts';

// DRILLBOOK_RUNBOOKS_DIR, DRILLBOOK_OUT_DIR and DRILLBOOK_CACHE_DIR let the build tests compile
// fixture runbooks; each fixture build needs its own cache, because Astro's content store does not
// notice that the glob loader's base folder changed.
const runbooksDir = process.env.DRILLBOOK_RUNBOOKS_DIR ?? 'content/runbooks';

export default defineConfig({
  srcDir: './site',
  outDir: process.env.DRILLBOOK_OUT_DIR ?? './dist',
  cacheDir: process.env.DRILLBOOK_CACHE_DIR ?? './node_modules/.astro',
  trailingSlash: 'ignore',
  integrations: [
    drillbook({ runbooksDir, drillsDir: process.env.DRILLBOOK_RUNBOOKS_DIR ? undefined : 'content/drills' }),
    mdx(),
  ],
  markdown: { shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } } },
  // Scripts stay files: the runner's Content-Security-Policy allows script-src 'self' only.
  vite: { build: { assetsInlineLimit: 0 } },
});
