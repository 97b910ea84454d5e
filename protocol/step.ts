import { z } from 'zod';
import { CaptureSpecSchema } from './capture.ts';
import { CheckSpecSchema } from './check.ts';
import { DurationSchema } from './duration.ts';
import { KubeBlockSchema } from './kube-blocks.ts';
import { Sha256HexSchema, StepIdSchema } from './patterns.ts';
import { VariableNameSchema } from './variables.ts';

export const RiskSchema = z.enum(['read', 'change', 'destructive']);

/** A command the runner executes, or an instruction the operator carries out by hand. */
export const StepKindSchema = z.enum(['command', 'manual']);
export type StepKind = z.output<typeof StepKindSchema>;
export type Risk = z.output<typeof RiskSchema>;

/** Where the runner executes a step: the operator's machine, a pod, or a node over SSH. */
export const StepTargetKindSchema = z.enum(['local', 'pod', 'node']);
export type StepTargetKind = z.output<typeof StepTargetKindSchema>;

export const StepTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal(StepTargetKindSchema.enum.local) }),
  z.strictObject({
    kind: z.literal(StepTargetKindSchema.enum.pod),
    pod: z.string().min(1),
    namespace: z.string().min(1),
    container: z.string().min(1).optional(),
  }),
  z.strictObject({
    kind: z.literal(StepTargetKindSchema.enum.node),
    host: z.string().min(1),
    user: z.string().min(1).optional(),
  }),
]);
export type StepTarget = z.output<typeof StepTargetSchema>;

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

// Where a step's commands take effect, stated on the page: the operator's machine, inside a pod
// (through kubectl exec or a debug pod), or a control-plane node (the runner must run there).
export const RunsOnSchema = z.enum(['operator', 'pod', 'control-plane-node']);
export type RunsOn = z.output<typeof RunsOnSchema>;

export const StepPropsObject = z.strictObject({
  id: StepIdSchema,
  title: z.string().min(1),
  risk: RiskSchema,
  timeout: DurationSchema.optional(),
  idleTimeout: DurationSchema.optional(),
  target: StepTargetKindSchema.default('local'),
  runsOn: RunsOnSchema.optional(),
  pod: z.string().min(1).optional(),
  namespace: z.string().min(1).optional(),
  container: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
});
type ParsedStepProps = z.output<typeof StepPropsObject>;

const TARGET_PROPS = { local: [], pod: ['pod', 'namespace', 'container'], node: ['host', 'user'] } as const;
const REQUIRED_TARGET_PROPS = { local: [], pod: ['pod', 'namespace'], node: ['host'] } as const;

// What an author writes on <Step>; the script comes from the fenced code block inside it.
export const StepPropsSchema = StepPropsObject.superRefine((props, context) => {
  for (const key of REQUIRED_TARGET_PROPS[props.target]) {
    if (props[key] === undefined) {
      context.addIssue({ code: 'custom', path: [key], message: `target="${props.target}" needs ${key}="…"` });
    }
  }
  const allowed: readonly string[] = TARGET_PROPS[props.target];
  for (const key of ['pod', 'namespace', 'container', 'host', 'user'] as const) {
    if (props[key] !== undefined && !allowed.includes(key)) {
      context.addIssue({
        code: 'custom',
        path: [key],
        message: `${key} only applies to target="${key === 'host' || key === 'user' ? 'node' : 'pod'}"`,
      });
    }
  }
  if (props.timeout !== undefined && props.idleTimeout !== undefined && props.idleTimeout > props.timeout) {
    context.addIssue({ code: 'custom', path: ['idleTimeout'], message: 'idleTimeout is longer than timeout' });
  }
}).transform((props) => ({
  id: props.id,
  title: props.title,
  risk: props.risk,
  timeoutMs: props.timeout ?? DEFAULT_TIMEOUT_MS,
  idleTimeoutMs: props.idleTimeout ?? null,
  target: toTarget(props),
  runsOn: props.runsOn ?? defaultRunsOn(props.target),
}));

function defaultRunsOn(target: ParsedStepProps['target']): RunsOn {
  return target === 'pod' ? 'pod' : target === 'node' ? 'control-plane-node' : 'operator';
}
export type StepProps = z.input<typeof StepPropsSchema>;

function toTarget(props: ParsedStepProps): StepTarget {
  if (props.target === 'pod') {
    return {
      kind: 'pod',
      pod: props.pod as string,
      namespace: props.namespace as string,
      ...(props.container === undefined ? {} : { container: props.container }),
    };
  }
  if (props.target === 'node') {
    return { kind: 'node', host: props.host as string, ...(props.user === undefined ? {} : { user: props.user }) };
  }
  return { kind: 'local' };
}

const StepCommonSchema = z.strictObject({
  id: StepIdSchema,
  title: z.string().min(1),
  hash: Sha256HexSchema,
  references: z.array(VariableNameSchema),
});

export const CommandStepSpecSchema = StepCommonSchema.extend({
  kind: z.literal(StepKindSchema.enum.command),
  risk: RiskSchema,
  script: z.string().min(1),
  timeoutMs: z.int().positive(),
  idleTimeoutMs: z.int().positive().nullable(),
  target: StepTargetSchema,
  runsOn: RunsOnSchema,
  captures: z.array(CaptureSpecSchema),
  checks: z.array(CheckSpecSchema),
  /** Kubernetes-native blocks, done in order after the script succeeded. */
  kube: z.array(KubeBlockSchema).default([]),
  /** The author's <Explain>: what the step is for and what to look for in its output (training mode). */
  explanation: z.string().min(1).optional(),
});
export type CommandStepSpec = z.output<typeof CommandStepSpecSchema>;

export const ManualInputSchema = z.strictObject({
  name: VariableNameSchema,
  label: z.string().min(1),
  example: z.string().optional(),
  pattern: z.string().optional(),
  secret: z.boolean(),
  mayStartWithDash: z.boolean().optional(),
});

export const ManualStepSpecSchema = StepCommonSchema.extend({
  kind: z.literal(StepKindSchema.enum.manual),
  instruction: z.string(),
  input: ManualInputSchema.nullable(),
});
export type ManualStepSpec = z.output<typeof ManualStepSpecSchema>;

export const StepSpecSchema = z.discriminatedUnion('kind', [CommandStepSpecSchema, ManualStepSpecSchema]);
export type StepSpec = z.output<typeof StepSpecSchema>;

// What an author writes on <Explain> inside a <Step>: prose for trainees, shown before the step runs.
export const ExplainPropsSchema = z.strictObject({
  title: z.string().min(1).optional(),
});
export type ExplainProps = z.input<typeof ExplainPropsSchema>;
export const DEFAULT_EXPLAIN_TITLE = 'What this step is for';
