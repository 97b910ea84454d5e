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

export const NodeFailureSchema = z.enum(['stop', 'continue']);

/** Where the runner executes a step: the operator's machine, a pod, or a node over SSH. */
export const StepTargetKindSchema = z.enum(['local', 'pod', 'node']);
export type StepTargetKind = z.output<typeof StepTargetKindSchema>;

export const StepTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal(StepTargetKindSchema.enum.local) }),
  z.strictObject({
    kind: z.literal(StepTargetKindSchema.enum.pod),
    /** The pod by name; or `podSelector`, a label selector the runner resolves when the step starts. */
    pod: z.string().min(1).optional(),
    podSelector: z.string().min(1).optional(),
    namespace: z.string().min(1),
    container: z.string().min(1).optional(),
  }),
  z.strictObject({
    kind: z.literal(StepTargetKindSchema.enum.node),
    /** One node; or, for a step that runs once per node, `nodes` or `nodeSelector` instead. */
    host: z.string().min(1).optional(),
    /** A list value: node names separated by spaces, commas or newlines (usually `{{x}}`). */
    nodes: z.string().min(1).optional(),
    /** A label selector, resolved through the API to the matching nodes' names, sorted. */
    nodeSelector: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    /** Whether a fan-out step goes on to the next node after one failed. */
    onNodeFailure: NodeFailureSchema.optional(),
  }),
]);
export type StepTarget = z.output<typeof StepTargetSchema>;
export type NodeTarget = Extract<StepTarget, { kind: 'node' }>;

/** Whether a step targets several nodes in turn, rather than one. */
export function isFanOut(target: StepTarget): target is NodeTarget & ({ nodes: string } | { nodeSelector: string }) {
  return target.kind === 'node' && (target.nodes !== undefined || target.nodeSelector !== undefined);
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

// Where a step's commands take effect, stated on the page: the operator's machine, inside a pod
// (through kubectl exec or a debug pod), or a control-plane node (the runner must run there).
export const RunsOnSchema = z.enum(['operator', 'pod', 'control-plane-node']);
export type RunsOn = z.output<typeof RunsOnSchema>;

/** How a step's script runs: through bash, or (shell="none", for a container without one) as one argv. */
export const StepShellSchema = z.enum(['bash', 'none']);

export const StepPropsObject = z.strictObject({
  id: StepIdSchema,
  title: z.string().min(1),
  risk: RiskSchema,
  timeout: DurationSchema.optional(),
  idleTimeout: DurationSchema.optional(),
  target: StepTargetKindSchema.default('local'),
  runsOn: RunsOnSchema.optional(),
  pod: z.string().min(1).optional(),
  podSelector: z.string().min(1).optional(),
  namespace: z.string().min(1).optional(),
  container: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  nodes: z.string().min(1).optional(),
  nodeSelector: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  onNodeFailure: NodeFailureSchema.optional(),
  shell: StepShellSchema.optional(),
});
type ParsedStepProps = z.output<typeof StepPropsObject>;

const TARGET_PROPS = {
  local: [],
  pod: ['pod', 'podSelector', 'namespace', 'container'],
  node: ['host', 'nodes', 'nodeSelector', 'user', 'onNodeFailure'],
} as const;
const REQUIRED_TARGET_PROPS = { local: [], pod: ['namespace'], node: [] } as const;
const NODE_CHOICES = ['host', 'nodes', 'nodeSelector'] as const;

// What an author writes on <Step>; the script comes from the fenced code block inside it.
export const StepPropsSchema = StepPropsObject.superRefine((props, context) => {
  for (const key of REQUIRED_TARGET_PROPS[props.target]) {
    if (props[key] === undefined) {
      context.addIssue({ code: 'custom', path: [key], message: `target="${props.target}" needs ${key}="…"` });
    }
  }
  if (props.target === 'pod' && (props.pod === undefined) === (props.podSelector === undefined)) {
    context.addIssue({
      code: 'custom',
      path: [props.pod === undefined ? 'pod' : 'podSelector'],
      message: 'target="pod" needs exactly one of pod="…" (by name) or podSelector="…" (a label selector)',
    });
  }
  if (props.target === 'node') {
    const given = NODE_CHOICES.filter((key) => props[key] !== undefined);
    if (given.length !== 1) {
      context.addIssue({
        code: 'custom',
        path: [given[1] ?? 'host'],
        message: `target="node" needs exactly one of host="…" (one node), nodes="…" (a list) or nodeSelector="…" (a label selector)`,
      });
    }
    if (props.onNodeFailure !== undefined && props.host !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['onNodeFailure'],
        message: 'onNodeFailure applies to nodes= or nodeSelector=',
      });
    }
  }
  const allowed: readonly string[] = TARGET_PROPS[props.target];
  for (const key of [...TARGET_PROPS.pod, ...TARGET_PROPS.node] as const) {
    if (props[key] !== undefined && !allowed.includes(key)) {
      context.addIssue({
        code: 'custom',
        path: [key],
        message: `${key} only applies to target="${(TARGET_PROPS.node as readonly string[]).includes(key) ? 'node' : 'pod'}"`,
      });
    }
  }
  if (props.shell === 'none' && props.target !== 'pod') {
    context.addIssue({
      code: 'custom',
      path: ['shell'],
      message: 'shell="none" is for target="pod" (a container without a shell); other targets have bash',
    });
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
  ...(props.shell === 'none' ? { shell: 'none' as const } : {}),
}));

function defaultRunsOn(target: ParsedStepProps['target']): RunsOn {
  return target === 'pod' ? 'pod' : target === 'node' ? 'control-plane-node' : 'operator';
}
export type StepProps = z.input<typeof StepPropsSchema>;

function toTarget(props: ParsedStepProps): StepTarget {
  if (props.target === 'pod') {
    return {
      kind: 'pod',
      ...(props.pod === undefined ? {} : { pod: props.pod }),
      ...(props.podSelector === undefined ? {} : { podSelector: props.podSelector }),
      namespace: props.namespace as string,
      ...(props.container === undefined ? {} : { container: props.container }),
    };
  }
  if (props.target === 'node') {
    const { host, nodes, nodeSelector, user, onNodeFailure } = props;
    return Object.fromEntries(
      Object.entries({ kind: 'node', host, nodes, nodeSelector, user, onNodeFailure }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as NodeTarget;
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
  /** shell="none": the container runs this argv directly ({{x}} filled in per argument); no bash. */
  shell: z.literal('none').optional(),
  argv: z.array(z.string()).min(1).optional(),
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
