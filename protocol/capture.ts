import { z } from 'zod';
import {
  countRegexGroups,
  JsonPathSchema,
  OutputStreamSchema,
  RegexFlagsSchema,
  RegexSourceSchema,
  tryCompileRegex,
} from './patterns.ts';
import { VariableNameSchema } from './variables.ts';

export const CaptureTransformSchema = z.enum([
  'trim',
  'base64-decode',
  'base64-encode',
  'first-line',
  'last-line',
  'lowercase',
  'uppercase',
]);
export type CaptureTransform = z.output<typeof CaptureTransformSchema>;

/** Where a capture reads its value: one of the output streams, or the exit code. */
export const CaptureSourceSchema = z.enum([...OutputStreamSchema.options, 'exitCode']);

export const CapturePickSchema = z
  .enum(['operator', 'first', 'last', 'latest', 'only'])
  .describe('which value to keep when several match; "latest" is the greatest in natural order');

export const CaptureExtractSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('regex'),
    pattern: RegexSourceSchema,
    flags: RegexFlagsSchema,
    group: z.union([z.string(), z.int().nonnegative()]),
  }),
  z.strictObject({ kind: z.literal('jsonpath'), path: JsonPathSchema }),
  z.strictObject({
    kind: z.literal('table-column'),
    column: z.string().min(1),
    where: z.strictObject({ column: z.string().min(1), equals: z.string() }).optional(),
  }),
  z.strictObject({ kind: z.literal('whole') }),
]);
export type CaptureExtract = z.output<typeof CaptureExtractSchema>;

export const CaptureSpecSchema = z.strictObject({
  name: VariableNameSchema,
  label: z.string().optional(),
  example: z.string().optional(),
  source: CaptureSourceSchema,
  extract: CaptureExtractSchema,
  transforms: z.array(CaptureTransformSchema),
  validate: z.strictObject({
    pattern: RegexSourceSchema.optional(),
    allowEmpty: z.boolean(),
  }),
  pick: CapturePickSchema,
  secret: z.boolean(),
  mayStartWithDash: z.boolean().optional(),
});
export type CaptureSpec = z.output<typeof CaptureSpecSchema>;

const TransformListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()))
  .pipe(z.array(CaptureTransformSchema));

const WhereSchema = z
  .string()
  .regex(/^[^=]+=.*$/, 'write where="COLUMN=value", for example where="STATUS=deployed"')
  .transform((value) => {
    const separator = value.indexOf('=');
    return {
      column: value.slice(0, separator).trim(),
      equals: value.slice(separator + 1).trim(),
    };
  });

const EXTRACTORS = ['regex', 'jsonpath', 'column', 'whole'] as const;

export const CapturePropsObject = z.strictObject({
  name: VariableNameSchema,
  label: z.string().optional(),
  example: z.string().optional().describe('a sample value used when rendering steps without a run'),
  from: CaptureSourceSchema.default('stdout'),
  regex: RegexSourceSchema.optional(),
  flags: RegexFlagsSchema,
  group: z.union([z.string().min(1), z.int().nonnegative()]).optional(),
  jsonpath: JsonPathSchema.optional(),
  column: z.string().min(1).optional(),
  where: WhereSchema.optional(),
  whole: z.boolean().optional(),
  transform: TransformListSchema.default([]),
  pattern: RegexSourceSchema.optional(),
  allowEmpty: z.boolean().default(false),
  pick: CapturePickSchema.default('operator'),
  secret: z.boolean().default(false),
  mayStartWithDash: z
    .boolean()
    .optional()
    .describe('the value may begin with "-" where a command reads options (by default such a value is refused there)'),
});
type ParsedCaptureProps = z.output<typeof CapturePropsObject>;

// What an author writes on <Capture>: flat props, exactly one way to extract the value.
export const CapturePropsSchema = CapturePropsObject.superRefine((props, context) => {
  const chosen = EXTRACTORS.filter((key) => props[key] !== undefined && props[key] !== false);
  if (props.from === 'exitCode' && chosen.some((key) => key !== 'whole')) {
    context.addIssue({
      code: 'custom',
      path: [chosen.find((key) => key !== 'whole') as string],
      message: 'a capture from="exitCode" takes the exit code as it is; remove the extractor',
    });
  } else if (props.from !== 'exitCode' && chosen.length !== 1) {
    context.addIssue({
      code: 'custom',
      path: chosen.length > 1 ? [chosen[1] as string] : [],
      message:
        chosen.length === 0
          ? 'say how to extract the value: regex="…", jsonpath="$…", column="HEADER" or whole'
          : `use one way to extract the value, found ${chosen.join(' and ')}`,
    });
  }
  if (props.group !== undefined && props.regex === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['group'],
      message: 'group only applies to a regex capture',
    });
  }
  if (props.where !== undefined && props.column === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['where'],
      message: 'where only applies to a column capture',
    });
  }
  if (props.regex !== undefined && !isValidGroup(props.regex, props.group)) {
    context.addIssue({
      code: 'custom',
      path: ['group'],
      message: `the regex /${props.regex}/ has no group ${JSON.stringify(props.group)}`,
    });
  }
}).transform(
  (props): CaptureSpec => ({
    name: props.name,
    ...(props.label === undefined ? {} : { label: props.label }),
    ...(props.example === undefined ? {} : { example: props.example }),
    source: props.from,
    extract: toExtract(props),
    transforms: props.transform,
    validate: {
      ...(props.pattern === undefined ? {} : { pattern: props.pattern }),
      allowEmpty: props.allowEmpty,
    },
    pick: props.pick,
    secret: props.secret,
    ...(props.mayStartWithDash ? { mayStartWithDash: true } : {}),
  }),
);

export type CaptureProps = z.input<typeof CapturePropsSchema>;

function toExtract(props: ParsedCaptureProps): CaptureExtract {
  if (props.regex !== undefined) {
    return {
      kind: 'regex',
      pattern: props.regex,
      flags: props.flags,
      group: props.group ?? defaultGroup(props.regex),
    };
  }
  if (props.jsonpath !== undefined) return { kind: 'jsonpath', path: props.jsonpath };
  if (props.column !== undefined) {
    return {
      kind: 'table-column',
      column: props.column,
      ...(props.where ? { where: props.where } : {}),
    };
  }
  return { kind: 'whole' };
}

function defaultGroup(regex: string): string | number {
  const named = /\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(regex);
  if (named) return named[1] as string;
  return countRegexGroups(regex) > 0 ? 1 : 0;
}

function isValidGroup(regex: string, group: string | number | undefined): boolean {
  if (group === undefined) return true;
  if (!tryCompileRegex(regex)) return true;
  if (typeof group === 'number') return group <= countRegexGroups(regex);
  return regex.includes(`(?<${group}>`);
}
