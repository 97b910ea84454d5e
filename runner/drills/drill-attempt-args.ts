import { parseArgs } from 'node:util';
import { DrillError } from '../headless/drill-error.ts';

export interface DrillAttemptOptions {
  /** The drill's file name in content/drills, without .yaml. */
  name: string;
  operator: string | null;
  /** Steps to pass over on top of the drill's reference answers (to prove the grading fails). */
  skips: Map<string, string>;
  stateDir: string | null;
}

export const DRILL_ATTEMPT_USAGE =
  'Usage: npm run drill -- drill NAME [--operator NAME] [--skip step-id[=reason]]… [--state-dir DIR]';

// Reads `drill drill NAME …`: an instructor's run of a drill with its reference answers.
export function parseDrillAttemptArgs(argv: string[]): DrillAttemptOptions {
  const [command, ...rest] = argv;
  if (command !== 'drill') throw new DrillError('USAGE', `unknown command "${command}"`);
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(rest);
  } catch (error) {
    throw new DrillError('USAGE', (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new DrillError('USAGE', 'give exactly one drill name');
  const skips = new Map<string, string>();
  for (const item of values.skip ?? []) {
    const equals = item.indexOf('=');
    if (equals === -1) skips.set(item, 'skipped with --skip');
    else skips.set(item.slice(0, equals), item.slice(equals + 1) || 'skipped with --skip');
  }
  return {
    name: positionals[0] as string,
    operator: values.operator ?? null,
    skips,
    stateDir: values['state-dir'] ?? null,
  };
}

function parseFlags(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      operator: { type: 'string' },
      skip: { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
    },
  });
}
