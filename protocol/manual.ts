import { z } from 'zod';
import { RegexSourceSchema, StepIdSchema } from './patterns.ts';
import { VariableNameSchema } from './variables.ts';

// What an author writes on <Manual>: an instruction (its children) the operator acknowledges,
// optionally entering a value that later steps use.
export const ManualPropsSchema = z
  .strictObject({
    id: StepIdSchema,
    title: z.string().min(1),
    value: VariableNameSchema.optional(),
    valueLabel: z.string().min(1).optional(),
    valueExample: z.string().optional(),
    pattern: RegexSourceSchema.optional(),
    secret: z.boolean().default(false),
    mayStartWithDash: z
      .boolean()
      .optional()
      .describe(
        'the value may begin with "-" where a command reads options (by default such a value is refused there)',
      ),
  })
  .superRefine((props, context) => {
    for (const key of ['valueLabel', 'valueExample', 'pattern', 'mayStartWithDash'] as const) {
      if (props[key] !== undefined && props.value === undefined) {
        context.addIssue({ code: 'custom', path: [key], message: `${key} needs value="name" to say what is entered` });
      }
    }
    if (props.secret && props.value === undefined) {
      context.addIssue({ code: 'custom', path: ['secret'], message: 'secret needs value="name"' });
    }
  });
export type ManualProps = z.input<typeof ManualPropsSchema>;

export const CalloutPropsSchema = z.strictObject({
  type: z.enum(['note', 'warning', 'danger', 'correction']).default('note'),
  title: z.string().min(1).optional(),
});
export type CalloutProps = z.input<typeof CalloutPropsSchema>;
