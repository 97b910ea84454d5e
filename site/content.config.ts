import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { RunbookFrontmatterSchema } from '../protocol/index.ts';

const runbooksDir = process.env.DRILLBOOK_RUNBOOKS_DIR ?? 'content/runbooks';

export const collections = {
  runbooks: defineCollection({
    loader: glob({ pattern: '**/*.mdx', base: runbooksDir }),
    schema: RunbookFrontmatterSchema,
  }),
};
