import { z } from 'zod';
import { DurationSchema } from './duration.ts';
import { SlugSchema, StepIdSchema } from './patterns.ts';
import { TraineeReportSchema } from './training.ts';
import { VariableNameSchema } from './variables.ts';

// A drill (content/drills/<name>.yaml): a fixture of the practice cluster, a fault injected into
// it, the runbook a trainee follows to repair it, and the criteria that grade the outcome.

export const DrillFixtureSchema = z.enum(['deephaven', 'kubeadm', 'deckhouse']);
export type DrillFixture = z.output<typeof DrillFixtureSchema>;

export const PracticeNodeSchema = z.enum(['cp-1', 'cp-2', 'cp-3']);
export type PracticeNode = z.output<typeof PracticeNodeSchema>;
const NameSchema = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a Kubernetes name: lowercase, digits, "-" and "."');
/** A path on a practice node that the node shell sees: the node keeps /etc, /var/lib and /var/log. */
const NodePathSchema = z
  .string()
  .regex(
    /^\/(etc|var\/lib|var\/log)\/\S+$/,
    'an absolute path under /etc, /var/lib or /var/log (what a practice node keeps)',
  );

export const FaultSchema = z.discriminatedUnion('kind', [
  /** A snapshot is taken on a node, then the namespace's objects of these kinds are deleted. */
  z.strictObject({
    kind: z.literal('delete-objects-after-snapshot'),
    namespace: NameSchema,
    resources: z.array(z.enum(['deployments', 'secrets', 'configmaps', 'services'])).min(1),
    snapshot: z.strictObject({ node: PracticeNodeSchema, path: NodePathSchema }),
  }),
  /** One member's data folder is deleted while it is stopped; it starts again empty and cannot rejoin. */
  z.strictObject({ kind: z.literal('lose-member-data'), node: PracticeNodeSchema }),
  /** Two of three members stop and their data is deleted: the cluster has no quorum. */
  z.strictObject({
    kind: z.literal('lose-quorum'),
    nodes: z.array(PracticeNodeSchema).min(2),
    snapshot: z.strictObject({ node: PracticeNodeSchema, path: NodePathSchema }).optional(),
  }),
  /** A member's write-ahead log is overwritten with garbage, so it crash-loops on start. */
  z.strictObject({ kind: z.literal('corrupt-member-data'), node: PracticeNodeSchema }),
  /** A Helm-installed etcd loses its pods and its PersistentVolumeClaims (Deephaven). */
  z.strictObject({
    kind: z.literal('helm-release-gone'),
    namespace: NameSchema,
    release: NameSchema,
    snapshot: z.strictObject({ path: z.string().regex(/^\/\S+$/, 'an absolute path on the operator machine') }),
  }),
]);
export type Fault = z.output<typeof FaultSchema>;
export type FaultKind = Fault['kind'];

const ObjectRefSchema = z.strictObject({
  kind: z.enum(['deployment', 'secret', 'configmap', 'service', 'statefulset', 'namespace', 'persistentvolumeclaim']),
  namespace: NameSchema.optional(),
  name: NameSchema,
});
export type ObjectRef = z.output<typeof ObjectRefSchema>;

export const CriterionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('objects-exist'),
    label: z.string().min(1).optional(),
    objects: z.array(ObjectRefSchema).min(1),
  }),
  z.strictObject({
    kind: z.literal('etcd-members-healthy'),
    label: z.string().min(1).optional(),
    count: z.int().min(1).max(3),
  }),
  /** A Secret's key holds an etcd endpoint URL whose Service has ready endpoints and answers /health. */
  z.strictObject({
    kind: z.literal('secret-points-at-healthy-etcd'),
    label: z.string().min(1).optional(),
    namespace: NameSchema,
    secret: NameSchema,
    key: z.string().min(1),
  }),
]);
export type Criterion = z.output<typeof CriterionSchema>;

// The reference answers an instructor's headless run uses (`npm run drill -- drill NAME`).
export const DrillAnswersSchema = z.strictObject({
  params: z.record(VariableNameSchema, z.string()).default({}),
  choose: z.record(VariableNameSchema, z.string()).default({}),
  /** Manual steps by id: a value, or true to acknowledge one that asks for none. */
  ack: z.record(StepIdSchema, z.union([z.string(), z.literal(true)])).default({}),
  /** Steps the reference run passes over, with the reason (a step that does not apply to the practice cluster). */
  skip: z.record(StepIdSchema, z.string().min(1)).default({}),
});

export const DrillRunbookSchema = z.strictObject({
  slug: SlugSchema,
  /** The steps that repair the fault: skipping them must fail the criteria. */
  restoreSteps: z.array(StepIdSchema).min(1),
  answers: DrillAnswersSchema.default({ params: {}, choose: {}, ack: {}, skip: {} }),
});

export const DrillFileSchema = z.strictObject({
  title: z.string().min(1),
  summary: z.string().min(1),
  fixture: DrillFixtureSchema,
  /** How many control-plane nodes the practice cluster is reset with. */
  nodes: z.union([z.literal(1), z.literal(3)]).default(3),
  /** What the trainee is told: the symptoms, never the fault's definition. */
  symptoms: z.string().min(1),
  fault: FaultSchema,
  /** The runbooks to follow, in order. */
  runbooks: z.array(DrillRunbookSchema).min(1),
  timeLimit: DurationSchema,
  criteria: z.array(CriterionSchema).min(1),
});
export type DrillFile = z.output<typeof DrillFileSchema>;

export const DrillSpecSchema = DrillFileSchema.extend({
  name: SlugSchema,
  sourcePath: z.string(),
  timeLimit: z.int().positive(),
});
export type DrillSpec = z.output<typeof DrillSpecSchema>;

/** What the page may show about a drill before and during an attempt: no fault definition. */
export const DrillSummarySchema = DrillSpecSchema.pick({
  name: true,
  title: true,
  summary: true,
  fixture: true,
  symptoms: true,
  timeLimit: true,
}).extend({
  runbooks: z.array(SlugSchema),
});
export type DrillSummary = z.output<typeof DrillSummarySchema>;

export const CriterionResultSchema = z.strictObject({ label: z.string(), passed: z.boolean(), detail: z.string() });
export type CriterionResult = z.output<typeof CriterionResultSchema>;

export const DrillAttemptStatusSchema = z.enum(['in-progress', 'passed', 'failed']);

/** One trainee's (or instructor's) attempt at a drill, kept in the state folder. */
export const DrillAttemptSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][-a-z0-9]*$/),
  drill: SlugSchema,
  operator: z.string().min(1),
  /** headless: `npm run drill -- drill NAME`; page: the drills page. */
  via: z.enum(['headless', 'page']),
  /** When the trainee's clock started: once the cluster was reset and broken. */
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  status: DrillAttemptStatusSchema,
  /** The runs of the drill's runbooks, in order, as they were created. */
  runs: z.array(z.strictObject({ slug: SlugSchema, runId: z.string() })),
  criteria: z.array(CriterionResultSchema),
  /** The trainee report of each run, as it stood when the attempt was graded. */
  reports: z.array(TraineeReportSchema).optional(),
});
export type DrillAttempt = z.output<typeof DrillAttemptSchema>;
