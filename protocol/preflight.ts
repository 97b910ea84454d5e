import { z } from 'zod';
import { StepIdSchema } from './patterns.ts';

// Preflight: what a runbook needs before its first step (tools, the cluster, permissions),
// checked when a live or training run starts and recorded as events.

/** A permission a runbook declares in its frontmatter, answered by a SelfSubjectAccessReview. */
export const PermissionRequirementSchema = z.strictObject({
  verb: z.enum(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', '*']),
  resource: z.string().regex(/^[a-z0-9*][a-z0-9.*-]*$/, 'a resource in the plural, for example "pods"'),
  subresource: z.string().min(1).optional(),
  group: z.string().optional().describe('the API group; "" or none for the core group, e.g. "apps"'),
  namespace: z.string().min(1).optional().describe("none: the run's namespace"),
  /** The steps that need it; none: every command step. */
  steps: z.array(StepIdSchema).min(1).optional(),
});
export type PermissionRequirement = z.output<typeof PermissionRequirementSchema>;

export const PreflightKindSchema = z.enum(['tool', 'cluster', 'permission', 'node']);

/** One checklist item, as recorded. */
export const PreflightItemSchema = z.strictObject({
  /** Stable within the run, e.g. "tool:kubectl", "cluster", "permission:delete/pods". */
  id: z.string().min(1),
  kind: PreflightKindSchema,
  label: z.string(),
  passed: z.boolean(),
  /** What was found (a version, an answer), in a few words. */
  detail: z.string(),
  /** How to fix it, when it failed. */
  fix: z.string().nullable(),
  /** The steps it blocks when it failed. */
  steps: z.array(StepIdSchema),
});
export type PreflightItem = z.output<typeof PreflightItemSchema>;

export const PreflightItemViewSchema = PreflightItemSchema.extend({
  /** Why the operator ran on despite the failure, when they did. */
  overriddenBecause: z.string().nullable(),
});
export type PreflightItemView = z.output<typeof PreflightItemViewSchema>;

export const OverridePreflightBodySchema = z.strictObject({
  itemId: z.string().min(1).max(500),
  reason: z.string().trim().min(1).max(2000),
});
