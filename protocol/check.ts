import { z } from 'zod';
import { DurationSchema } from './duration.ts';
import { JsonPathSchema, OutputStreamSchema, RegexFlagsSchema, RegexSourceSchema } from './patterns.ts';

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

export const JsonPathComparisonSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('equals'), value: ScalarSchema }),
  z.strictObject({ op: z.literal('not-equals'), value: ScalarSchema }),
  z.strictObject({ op: z.literal('matches'), value: RegexSourceSchema }),
  z.strictObject({ op: z.literal('at-least'), value: z.number() }),
  z.strictObject({ op: z.literal('at-most'), value: z.number() }),
  z.strictObject({ op: z.literal('count'), value: z.int().nonnegative() }),
  z.strictObject({ op: z.literal('exists') }),
]);
export type JsonPathComparison = z.output<typeof JsonPathComparisonSchema>;

/** Whether every JSONPath result must satisfy the comparison, or one is enough. */
export const JsonPathQuantifierSchema = z.enum(['all', 'any']);
export type JsonPathQuantifier = z.output<typeof JsonPathQuantifierSchema>;

export const CheckAssertionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('exit-code'),
    equals: z.int().min(0).max(255),
  }),
  z.strictObject({
    kind: z.literal('regex'),
    stream: OutputStreamSchema,
    pattern: RegexSourceSchema,
    flags: RegexFlagsSchema,
    present: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal('jsonpath'),
    stream: OutputStreamSchema,
    path: JsonPathSchema,
    comparison: JsonPathComparisonSchema,
    quantifier: JsonPathQuantifierSchema,
  }),
]);
export type CheckAssertion = z.output<typeof CheckAssertionSchema>;

export const CheckSpecSchema = z.strictObject({
  label: z.string().min(1),
  assert: CheckAssertionSchema,
  wait: z
    .strictObject({
      timeoutMs: z.int().positive(),
      intervalMs: z.int().positive(),
    })
    .nullable(),
  /** An advisory check only informs; any other check that does not hold fails its step. */
  advisory: z.boolean().default(false),
  /** The author's hint, offered to a trainee after the check failed, before a re-run. */
  hint: z.string().min(1).optional(),
});
export type CheckSpec = z.output<typeof CheckSpecSchema>;

const COMPARATORS = ['equals', 'notEquals', 'matches', 'atLeast', 'atMost', 'count', 'exists'] as const;
const ASSERTIONS = ['exit', 'regex', 'jsonpath'] as const;

export const CheckPropsObject = z.strictObject({
  label: z.string().min(1).optional(),
  exit: z.int().min(0).max(255).optional(),
  regex: RegexSourceSchema.optional(),
  flags: RegexFlagsSchema,
  absent: z.boolean().default(false),
  on: OutputStreamSchema.default('stdout'),
  jsonpath: JsonPathSchema.optional(),
  equals: ScalarSchema.optional(),
  notEquals: ScalarSchema.optional(),
  matches: RegexSourceSchema.optional(),
  atLeast: z.number().optional(),
  atMost: z.number().optional(),
  count: z.int().nonnegative().optional(),
  exists: z.literal(true).optional(),
  match: JsonPathQuantifierSchema.default('all'),
  wait: DurationSchema.optional(),
  interval: DurationSchema.optional(),
  advisory: z.boolean().default(false),
  hint: z.string().trim().min(1, 'hint is empty: say what to look at when the check fails').optional(),
});
type ParsedCheckProps = z.output<typeof CheckPropsObject>;

// What an author writes on <Check>: one assertion; `wait` turns it into a poll of the step;
// `advisory` keeps a check that does not hold from failing the step.
export const CheckPropsSchema = CheckPropsObject.superRefine((props, context) => {
  const assertions = ASSERTIONS.filter((key) => props[key] !== undefined);
  if (assertions.length !== 1) {
    context.addIssue({
      code: 'custom',
      path: assertions.length > 1 ? [assertions[1] as string] : [],
      message:
        assertions.length === 0
          ? 'say what to check: exit={0}, regex="…" or jsonpath="$…" with a comparison'
          : `a check asserts one thing, found ${assertions.join(' and ')}; use one <Check> each`,
    });
  }
  const comparators = COMPARATORS.filter((key) => props[key] !== undefined);
  if (props.jsonpath !== undefined && comparators.length !== 1) {
    context.addIssue({
      code: 'custom',
      path: comparators.length > 1 ? [comparators[1] as string] : ['jsonpath'],
      message: `a jsonpath check needs exactly one of ${COMPARATORS.join(', ')}`,
    });
  }
  if (props.jsonpath === undefined && comparators.length > 0) {
    context.addIssue({
      code: 'custom',
      path: [comparators[0] as string],
      message: `${comparators[0]} compares a jsonpath result; add jsonpath="$…"`,
    });
  }
  if (props.interval !== undefined && props.wait === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['interval'],
      message: 'interval only applies with wait="…"',
    });
  }
}).transform(
  (props): CheckSpec => ({
    label: props.label ?? describeProps(props),
    assert: toAssertion(props),
    wait: props.wait === undefined ? null : { timeoutMs: props.wait, intervalMs: props.interval ?? 2000 },
    advisory: props.advisory,
    ...(props.hint === undefined ? {} : { hint: props.hint }),
  }),
);

export type CheckProps = z.input<typeof CheckPropsSchema>;
function toComparison(props: ParsedCheckProps): JsonPathComparison {
  if (props.equals !== undefined) return { op: 'equals', value: props.equals };
  if (props.notEquals !== undefined) return { op: 'not-equals', value: props.notEquals };
  if (props.matches !== undefined) return { op: 'matches', value: props.matches };
  if (props.atLeast !== undefined) return { op: 'at-least', value: props.atLeast };
  if (props.atMost !== undefined) return { op: 'at-most', value: props.atMost };
  if (props.count !== undefined) return { op: 'count', value: props.count };
  return { op: 'exists' };
}

function toAssertion(props: ParsedCheckProps): CheckAssertion {
  if (props.exit !== undefined) return { kind: 'exit-code', equals: props.exit };
  if (props.regex !== undefined) {
    return {
      kind: 'regex',
      stream: props.on,
      pattern: props.regex,
      flags: props.flags,
      present: !props.absent,
    };
  }
  return {
    kind: 'jsonpath',
    stream: props.on,
    path: props.jsonpath as string,
    comparison: toComparison(props),
    quantifier: props.match,
  };
}

const COMPARISON_WORDS: Record<JsonPathComparison['op'], string> = {
  equals: 'is',
  'not-equals': 'is not',
  matches: 'matches',
  'at-least': 'is at least',
  'at-most': 'is at most',
  count: 'count is',
  exists: 'exists',
};

function describeProps(props: ParsedCheckProps): string {
  const assertion = toAssertion(props);
  switch (assertion.kind) {
    case 'exit-code':
      return `exit code is ${assertion.equals}`;
    case 'regex':
      return `${assertion.stream} ${assertion.present ? 'matches' : 'does not match'} /${assertion.pattern}/`;
    case 'jsonpath': {
      const { comparison } = assertion;
      const value = 'value' in comparison ? ` ${JSON.stringify(comparison.value)}` : '';
      return `${assertion.path} ${COMPARISON_WORDS[comparison.op]}${value}`;
    }
  }
}
