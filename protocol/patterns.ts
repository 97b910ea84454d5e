import { jsonpath } from 'json-p3';
import { z } from 'zod';
import { escapeRegExp } from './regexp.ts';
import { findVariableReferences, replaceVariableReferences } from './variable-references.ts';

const ALLOWED_REGEX_FLAGS = /^[imsu]*$/;

export interface PatternOptions {
  /** The author's flags (i, m, s, u); u is always on. */
  flags?: string;
  global?: boolean;
  /** The value of a {{name}} as written; without it, each reference stands for a placeholder. */
  fill?: (written: string) => string;
}

// The one way an author's regular expression is compiled, by the build and by the runner, so a
// pattern means the same in both: always with the u flag, and each {{name}} matched literally,
// as one atom (`{{x}}+` repeats the whole value).
export function compilePattern(source: string, options: PatternOptions = {}): RegExp {
  const { flags = '', global = false, fill = () => 'x' } = options;
  const filled = replaceVariableReferences(source, (_name, written) => `(?:${escapeRegExp(fill(written))})`);
  return new RegExp(filled, [...new Set(`${flags.replace('g', '')}u${global ? 'g' : ''}`)].join(''));
}

// A regular expression written by an author: it must compile, so a typo fails the build
// instead of the step.
export const RegexSourceSchema = z.string().superRefine((source, context) => {
  try {
    compilePattern(source);
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `the regular expression /${source}/ does not compile: ${(error as Error).message}`,
    });
    return;
  }
  const inClass = findVariableReferences(source).find((reference) => isInCharacterClass(source, reference.start));
  if (inClass) {
    context.addIssue({
      code: 'custom',
      message: `{{${inClass.name}}} stands inside a character class [...] in /${source}/: a value is matched literally, as a whole`,
    });
  }
});

function isInCharacterClass(source: string, offset: number): boolean {
  let inClass = false;
  for (let index = 0; index < offset; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
  }
  return inClass;
}

export const RegexFlagsSchema = z
  .string()
  .regex(ALLOWED_REGEX_FLAGS, 'regex flags may be any of "i", "m", "s" and "u"')
  .default('');

// RFC 9535 JSONPath, compiled at build time so that a typo fails the build.
export const JsonPathSchema = z
  .string()
  .regex(/^\$/, 'a JSONPath starts with "$", for example "$.data.password"')
  .superRefine((path, context) => {
    const reference = findVariableReferences(path)[0];
    if (reference) {
      context.addIssue({
        code: 'custom',
        message: `{{${reference.name}}} is not filled in inside a JSONPath; select with the path and compare with equals="{{${reference.name}}}" or matches="…"`,
      });
      return;
    }
    try {
      jsonpath.compile(path);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `the JSONPath ${path} does not parse: ${(error as Error).message}` });
    }
  });

/** Lowercase words joined by "-": runbook slugs, step ids and tags, and the start of a log's name. */
export const SLUG_SOURCE = '[a-z0-9][a-z0-9-]*';
export const SLUG_PATTERN = new RegExp(`^${SLUG_SOURCE}$`);

/** A runbook's slug: its file name and its page's address. */
export const SlugSchema = z.string().regex(SLUG_PATTERN, 'a slug is lowercase words joined by "-"');

export const StepIdSchema = z
  .string()
  .regex(SLUG_PATTERN, 'a step id is lowercase letters, digits and "-", for example "take-snapshot"');

/** A SHA-256 digest in lowercase hex: content hashes and step hashes. */
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** The two output streams of a step. */
export const OutputStreamSchema = z.enum(['stdout', 'stderr']);
export type OutputStream = z.output<typeof OutputStreamSchema>;

// Object-level refinements still run when a field failed, so they compile patterns defensively.
export function tryCompileRegex(source: string): RegExp | undefined {
  try {
    return compilePattern(source);
  } catch {
    return undefined;
  }
}

export function countRegexGroups(source: string): number {
  return (tryCompileRegex(`${source}|`)?.exec('')?.length ?? 1) - 1;
}
