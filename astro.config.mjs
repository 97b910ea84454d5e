// @ts-check
import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';
import { drillbook } from './site/integration/index.ts';

// DRILLBOOK_RUNBOOKS_DIR and DRILLBOOK_OUT_DIR let the build tests compile fixture runbooks.
const runbooksDir = process.env.DRILLBOOK_RUNBOOKS_DIR ?? 'content/runbooks';

export default defineConfig({
  srcDir: './site',
  outDir: process.env.DRILLBOOK_OUT_DIR ?? './dist',
  trailingSlash: 'ignore',
  integrations: [drillbook({ runbooksDir }), mdx()],
  markdown: { shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } } },
});
