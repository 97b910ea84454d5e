import { z } from 'zod';

/** How a kube context is labelled: what is at stake when a step runs against it. */
export const EnvironmentSchema = z.enum(['production', 'staging', 'practice']);
export type Environment = z.output<typeof EnvironmentSchema>;

/** Where a context was found: the operator's kubeconfig (KUBECONFIG or ~/.kube/config), or the practice cluster's. */
export const ContextSourceSchema = z.enum(['kubeconfig', 'practice']);
export type ContextSource = z.output<typeof ContextSourceSchema>;

// The cluster a run is pinned to, as its context resolved when the run was created. Names and
// fingerprints only: never a credential.
export const KubeTargetSchema = z.strictObject({
  /** The context's name in the kubeconfig. */
  context: z.string().min(1),
  /** The name of the context's cluster entry: what the operator types to confirm a destructive step on production. */
  cluster: z.string().min(1),
  /** The API server's URL. */
  server: z.string(),
  /** sha256 (hex) of the cluster's CA certificate bytes; null when the kubeconfig names no CA. */
  caSha256: z.string().nullable(),
  /** The name of the context's user entry. */
  user: z.string(),
  /** The context's namespace, "default" when it names none. */
  namespace: z.string(),
  source: ContextSourceSchema,
  /** The environment label when the run was created; null when the context is not labelled. */
  environment: EnvironmentSchema.nullable(),
});
export type KubeTarget = z.output<typeof KubeTargetSchema>;

/** One context the start form offers (GET /api/contexts). */
export const ContextViewSchema = KubeTargetSchema.extend({
  /** Whether this is the kubeconfig's current context. */
  current: z.boolean(),
});
export type ContextView = z.output<typeof ContextViewSchema>;

export const ContextListSchema = z.strictObject({
  contexts: z.array(ContextViewSchema),
  /** Why some contexts could not be read (a broken kubeconfig file), for the operator. */
  problems: z.array(z.string()),
});
export type ContextList = z.output<typeof ContextListSchema>;

/** What changed between the pinned target and the kubeconfig now, when a step is refused. */
export const TargetChangeSchema = z.strictObject({
  field: z.enum(['context', 'server', 'caSha256', 'user']),
  pinned: z.string().nullable(),
  now: z.string().nullable(),
});
export type TargetChange = z.output<typeof TargetChangeSchema>;
