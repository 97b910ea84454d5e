import { z } from 'zod';
import { matchesWholeValue } from './param-value.ts';
import { RegexSourceSchema, tryCompileRegex } from './patterns.ts';
import { VariableNameSchema } from './variables.ts';

// A value the operator supplies before the run; also the schema of its manifest entry.
export const ParamSpecSchema = z
  .strictObject({
    name: VariableNameSchema,
    label: z.string().min(1),
    description: z.string().optional(),
    default: z.string().optional(),
    example: z.string().optional().describe('a sample value used when rendering steps without a run'),
    pattern: RegexSourceSchema.optional(),
    enum: z.array(z.string()).min(1).optional(),
    secret: z.boolean().default(false),
    required: z.boolean().default(true),
    mayStartWithDash: z
      .boolean()
      .optional()
      .describe(
        'the value may begin with "-" where a command reads options (by default such a value is refused there)',
      ),
  })
  .superRefine((param, context) => {
    if (param.secret && param.default !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['default'],
        message: 'a secret param cannot have a default: the value would be published with the page',
      });
    }
    if (param.default === undefined) return;
    if (param.pattern && tryCompileRegex(param.pattern) && !matchesWholeValue(param.pattern, param.default)) {
      context.addIssue({
        code: 'custom',
        path: ['default'],
        message: `the default "${param.default}" does not match the pattern /${param.pattern}/`,
      });
    }
    if (param.enum && !param.enum.includes(param.default)) {
      context.addIssue({
        code: 'custom',
        path: ['default'],
        message: `the default "${param.default}" is not one of ${param.enum.map((v) => `"${v}"`).join(', ')}`,
      });
    }
  });

export type ParamProps = z.input<typeof ParamSpecSchema>;
export type ParamSpec = z.output<typeof ParamSpecSchema>;
