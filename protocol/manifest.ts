import { z } from 'zod';
import { DrillSpecSchema } from './drill.ts';
import { ParamSpecSchema } from './param.ts';
import { Sha256HexSchema, SlugSchema } from './patterns.ts';
import { RunbookFrontmatterSchema } from './runbook-frontmatter.ts';
import { StepSpecSchema } from './step.ts';

export const MANIFEST_SCHEMA_VERSION = 1;

export const RunbookSpecSchema = z.strictObject({
  slug: SlugSchema,
  sourcePath: z.string().min(1),
  contentHash: Sha256HexSchema,
  meta: RunbookFrontmatterSchema,
  params: z.array(ParamSpecSchema),
  steps: z.array(StepSpecSchema),
});
export type RunbookSpec = z.output<typeof RunbookSpecSchema>;

// The step manifest: the only thing the runner executes from.
export const ManifestSchema = z.strictObject({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  runbooks: z.array(RunbookSpecSchema),
  /** The drills (content/drills) whose runbooks are all in `runbooks`, validated against them at build time. */
  drills: z.array(DrillSpecSchema).default([]),
});
export type Manifest = z.output<typeof ManifestSchema>;
