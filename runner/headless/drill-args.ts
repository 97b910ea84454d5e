import { parseArgs } from 'node:util';
import { RunModeSchema } from '../../protocol/index.ts';
import { DrillError } from './drill-error.ts';

export interface DrillRunOptions {
  slug: string;
  params: Map<string, string>;
  choices: Map<string, string>;
  /** Manual steps' answers by step id; null acknowledges a step that asks for no value. */
  acks: Map<string, string | null>;
  /** Steps to skip, with the reason recorded for each. */
  skips: Map<string, string>;
  /** Failed preflight items to run on despite, by item id, with the reason recorded for each. */
  overrides: Map<string, string>;
  /** A run that stopped (at a manual step, a failure): continue it instead of creating one. */
  resume: string | null;
  yes: boolean;
  dryRun: boolean;
  mode: 'live' | 'training';
  record: string | null;
  operator: string | null;
  /** The kube context the run is pinned to; none: the run reaches no cluster. */
  context: string | null;
  stateDir: string | null;
  manifest: string | null;
}

export const USAGE = `Usage: npm run drill -- run SLUG [--param name=value]… [--choose name=value]…
         [--ack step-id[=value]]… [--skip step-id[=reason]]… [--override item=reason]… [--resume RUN-ID] [--yes] [--dry-run]
         [--mode live|training] [--context NAME] [--record FILE.json|.md|.html|.pdf] [--operator NAME] [--state-dir DIR] [--manifest FILE]`;

// Reads `drill run …`: the command line is the page's form and buttons, said up front.
export function parseDrillArgs(argv: string[]): DrillRunOptions {
  const [command, ...rest] = argv;
  if (command !== 'run') throw new DrillError('USAGE', command ? `unknown command "${command}"` : 'no command given');
  let parsed: ReturnType<typeof parseDrillFlags>;
  try {
    parsed = parseDrillFlags(rest);
  } catch (error) {
    throw new DrillError('USAGE', (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new DrillError('USAGE', 'give exactly one runbook slug');
  const mode = RunModeSchema.exclude(['dry-run']).safeParse(values.mode ?? 'live');
  if (!mode.success) throw new DrillError('USAGE', `--mode is live or training, not "${values.mode}"`);
  const acks = new Map<string, string | null>();
  for (const item of values.ack ?? []) {
    const equals = item.indexOf('=');
    acks.set(equals === -1 ? item : item.slice(0, equals), equals === -1 ? null : item.slice(equals + 1));
  }
  const skips = new Map<string, string>();
  for (const item of values.skip ?? []) {
    const equals = item.indexOf('=');
    if (equals === -1) skips.set(item, 'skipped with --skip');
    else skips.set(item.slice(0, equals), item.slice(equals + 1) || 'skipped with --skip');
  }
  if (values.resume !== undefined && (values.param?.length ?? 0) > 0)
    throw new DrillError(
      'USAGE',
      "--resume continues a run with its own params: give no --param (a manual step's value goes in --ack)",
    );
  const overrides = readPairs('--override', values.override);
  for (const [item, reason] of overrides)
    if (reason.trim() === '')
      throw new DrillError('USAGE', `--override ${item}= needs a reason, which the run records`);
  return {
    slug: positionals[0] as string,
    params: readPairs('--param', values.param),
    choices: readPairs('--choose', values.choose),
    acks,
    skips,
    overrides,
    resume: values.resume ?? null,
    yes: values.yes ?? false,
    dryRun: values['dry-run'] ?? false,
    mode: mode.data,
    record: values.record ?? null,
    operator: values.operator ?? null,
    context: values.context ?? null,
    stateDir: values['state-dir'] ?? null,
    manifest: values.manifest ?? null,
  };
}

function parseDrillFlags(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      param: { type: 'string', multiple: true },
      choose: { type: 'string', multiple: true },
      ack: { type: 'string', multiple: true },
      skip: { type: 'string', multiple: true },
      override: { type: 'string', multiple: true },
      resume: { type: 'string' },
      yes: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      mode: { type: 'string' },
      record: { type: 'string' },
      operator: { type: 'string' },
      context: { type: 'string' },
      'state-dir': { type: 'string' },
      manifest: { type: 'string' },
    },
  });
}

function readPairs(flag: string, items: string[] | undefined): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const item of items ?? []) {
    const equals = item.indexOf('=');
    if (equals <= 0) throw new DrillError('USAGE', `${flag} takes name=value, not "${item}"`);
    pairs.set(item.slice(0, equals), item.slice(equals + 1));
  }
  return pairs;
}
