import { z } from 'zod';
import { DurationSchema } from './duration.ts';
import { VariableNameSchema } from './variables.ts';

// Kubernetes-native blocks: work a step does through the Kubernetes API (client-node, the run's
// pinned kubeconfig) after its script succeeded, instead of through kubectl output.

const LABEL_SELECTOR = /^[A-Za-z0-9_./{}\-=!,() ]+$/;

/** Reads one key of a Secret straight into a secret value: never printed, never on disk. */
export const SecretKeyBlockSchema = z.strictObject({
  kind: z.literal('secret-key'),
  name: VariableNameSchema,
  label: z.string().optional(),
  /** The Secret's name; may hold {{variables}}. */
  secret: z.string().min(1),
  key: z.string().min(1),
  /** Null: the namespace of the run's context. */
  namespace: z.string().min(1).nullable(),
});
export type SecretKeyBlock = z.output<typeof SecretKeyBlockSchema>;

/** Waits, watching, until the pods a label selector picks are Ready. */
export const WaitForPodsBlockSchema = z.strictObject({
  kind: z.literal('wait-pods'),
  selector: z.string().min(1),
  namespace: z.string().min(1).nullable(),
  /** How many must be Ready; null: every pod that matches, and at least one. */
  count: z.int().positive().nullable(),
  timeoutMs: z.int().positive(),
});
export type WaitForPodsBlock = z.output<typeof WaitForPodsBlockSchema>;

export const KubeBlockSchema = z.discriminatedUnion('kind', [SecretKeyBlockSchema, WaitForPodsBlockSchema]);
export type KubeBlock = z.output<typeof KubeBlockSchema>;

// What an author writes: <SecretKey name="rootPassword" secret="{{release}}" key="etcd-root-password" />.
export const SecretKeyPropsSchema = z
  .strictObject({
    name: VariableNameSchema,
    label: z.string().optional(),
    secret: z.string().min(1).describe('the Secret to read, for example "{{etcdRelease}}"'),
    key: z.string().min(1).describe('the key in the Secret\'s data, for example "etcd-root-password"'),
    namespace: z.string().min(1).optional(),
  })
  .transform(
    (props): SecretKeyBlock => ({
      kind: 'secret-key',
      name: props.name,
      ...(props.label === undefined ? {} : { label: props.label }),
      secret: props.secret,
      key: props.key,
      namespace: props.namespace ?? null,
    }),
  );
export type SecretKeyProps = z.input<typeof SecretKeyPropsSchema>;

// What an author writes: <WaitForPods selector="app=busybox" count={3} timeout="2m" />.
export const WaitForPodsPropsSchema = z
  .strictObject({
    selector: z.string().regex(LABEL_SELECTOR, 'a label selector such as "app=busybox,tier=web"'),
    namespace: z.string().min(1).optional(),
    count: z.int().positive().optional(),
    timeout: DurationSchema.default(120),
  })
  .transform(
    (props): WaitForPodsBlock => ({
      kind: 'wait-pods',
      selector: props.selector,
      namespace: props.namespace ?? null,
      count: props.count ?? null,
      timeoutMs: props.timeout,
    }),
  );
export type WaitForPodsProps = z.input<typeof WaitForPodsPropsSchema>;
