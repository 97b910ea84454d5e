import { z } from 'zod';
import { VARIABLE_NAME_PATTERN } from './variable-references.ts';

export * from './variable-references.ts';

// Variable names double as shell variable names in the runner, so they stay within what every
// shell accepts as an identifier.
export const VariableNameSchema = z
  .string()
  .regex(VARIABLE_NAME_PATTERN, 'a variable name starts with a letter and has only letters, digits and _');

export type VariableName = z.output<typeof VariableNameSchema>;
