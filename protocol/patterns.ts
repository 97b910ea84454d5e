import { jsonpath } from 'json-p3';
import { z } from 'zod';
import { replaceVariableReferences } from './variable-references.ts';

const ALLOWED_REGEX_FLAGS = /^[imsu]*$/;

// A regular expression written by an author: it must compile, so a typo fails the build
// instead of the step.
export const RegexSourceSchema = z.string().superRefine((source, context) => {
  try {
    // A {{name}} in a pattern stands for the value, matched literally.
    new RegExp(
      replaceVariableReferences(source, () => 'x'),
      'u',
    );
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `the regular expression /${source}/ does not compile: ${(error as Error).message}`,
    });
  }
});

export const RegexFlagsSchema = z
  .string()
  .regex(ALLOWED_REGEX_FLAGS, 'regex flags may be any of "i", "m", "s" and "u"')
  .default('');

// RFC 9535 JSONPath, compiled at build time so that a typo fails the build.
export const JsonPathSchema = z
  .string()
  .regex(/^\$/, 'a JSONPath starts with "$", for example "$.data.password"')
  .superRefine((path, context) => {
    try {
      jsonpath.compile(path);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `the JSONPath ${path} does not parse: ${(error as Error).message}` });
    }
  });

export const StepIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a step id is lowercase letters, digits and "-", for example "take-snapshot"');

export const OutputStreamSchema = z.enum(['stdout', 'stderr']);
export type OutputStream = z.output<typeof OutputStreamSchema>;

// Object-level refinements still run when a field failed, so they compile patterns defensively.
export function tryCompileRegex(source: string, flags = 'u'): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

export function countRegexGroups(source: string): number {
  return (tryCompileRegex(`${source}|`)?.exec('')?.length ?? 1) - 1;
}
