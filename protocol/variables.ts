import { z } from 'zod';

// Variable names double as environment variable names in the runner, so they stay
// within what every shell accepts as an identifier.
export const VARIABLE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

export const VariableNameSchema = z
  .string()
  .regex(VARIABLE_NAME_PATTERN, 'a variable name starts with a letter and has only letters, digits and _');

export type VariableName = z.output<typeof VariableNameSchema>;

const REFERENCE_PATTERN = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export interface VariableReference {
  name: string;
  /** Offset of the opening `{{` in the text. */
  start: number;
  /** Offset just past the closing `}}`. */
  end: number;
}

// The one variable syntax, `{{name}}`, shared by commands, prose and props.
export function findVariableReferences(text: string): VariableReference[] {
  return [...text.matchAll(REFERENCE_PATTERN)].map((match) => ({
    name: match[1] as string,
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export function listVariableNames(text: string): string[] {
  return [...new Set(findVariableReferences(text).map((reference) => reference.name))];
}
