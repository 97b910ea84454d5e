import { validRange } from 'semver';
import { z } from 'zod';
import { SLUG_PATTERN, SlugSchema, StepIdSchema } from './patterns.ts';
import { PermissionRequirementSchema } from './preflight.ts';

const ToolRequirementSchema = z.union([
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'a tool is a command name such as "kubectl"')
    .transform((name) => ({ name })),
  z.strictObject({
    name: z.string().min(1),
    version: z
      .string()
      .min(1)
      .refine((range) => validRange(range) !== null, 'a semver range, for example ">=1.28" or "^3.12"')
      .optional()
      .describe('a semver range, for example ">=1.28"'),
  }),
]);

export const SourceReferenceSchema = z.strictObject({
  title: z.string().min(1),
  url: z.url().optional(),
  /** The source document's file name in the project's sources folder. */
  file: z.string().min(1).optional(),
});

// Which steps carry out each section of the source document.
export const SourceSectionSchema = z.strictObject({
  section: z.string().min(1),
  steps: z.array(StepIdSchema).min(1),
});

// The frontmatter every runbook starts with; validated with line numbers by the compiler.
export const RunbookFrontmatterSchema = z.strictObject({
  title: z.string().min(1),
  summary: z.string().min(1),
  system: z.string().min(1).describe('the system the procedure operates, for example "etcd"'),
  product: z.string().min(1).optional().describe('the platform, for example "kubeadm" or "OKD"'),
  tags: z.array(z.string().regex(SLUG_PATTERN, 'tags are lowercase words joined by "-"')).default([]),
  tools: z.array(ToolRequirementSchema).default([]),
  /** What the runbook does in the cluster, checked with SelfSubjectAccessReview before the first step. */
  permissions: z.array(PermissionRequirementSchema).default([]),
  source: SourceReferenceSchema.optional(),
  sourceSections: z.array(SourceSectionSchema).optional(),
  related: z.array(SlugSchema).default([]).describe('slugs of runbooks to cross-link'),
  draft: z.boolean().default(false),
});

export type RunbookFrontmatterInput = z.input<typeof RunbookFrontmatterSchema>;
export type RunbookFrontmatter = z.output<typeof RunbookFrontmatterSchema>;
export type ToolRequirement = z.output<typeof ToolRequirementSchema>;
