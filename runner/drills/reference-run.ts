import type { DrillSpec } from '../../protocol/index.ts';
import type { DrillRunOptions } from '../headless/drill-args.ts';

type DrillRunbook = DrillSpec['runbooks'][number];

/** The practice cluster's kube context, which every drill run is pinned to. */
export const PRACTICE_CONTEXT = 'drillbook-practice';

// `{drillDir}` in a drill's text and answers: the attempt's folder of files the trainee is given.
export function fillDrillDir(text: string, drillDir: string): string {
  return text.replaceAll('{drillDir}', drillDir);
}

// One runbook of a drill as `drill run` would take it: training mode on the practice context,
// the reference answers (params, choices, acknowledgements, skips), destructive steps allowed.
// `extraSkips` are the instructor's, for the steps this runbook has.
export function referenceRunOptions(
  entry: DrillRunbook,
  stepIds: readonly string[],
  options: { drillDir: string; operator: string; stateDir: string; extraSkips: ReadonlyMap<string, string> },
): DrillRunOptions {
  const fill = (value: string) => fillDrillDir(value, options.drillDir);
  const skips = new Map(Object.entries(entry.answers.skip));
  for (const [stepId, reason] of options.extraSkips) if (stepIds.includes(stepId)) skips.set(stepId, reason);
  return {
    slug: entry.slug,
    params: new Map(Object.entries(entry.answers.params).map(([name, value]) => [name, fill(value)])),
    choices: new Map(Object.entries(entry.answers.choose).map(([name, value]) => [name, fill(value)])),
    acks: new Map(
      Object.entries(entry.answers.ack).map(([stepId, value]) => [stepId, value === true ? null : fill(value)]),
    ),
    skips,
    overrides: new Map(),
    resume: null,
    yes: true,
    dryRun: false,
    mode: 'training',
    record: null,
    operator: options.operator,
    context: PRACTICE_CONTEXT,
    stateDir: options.stateDir,
    manifest: null,
  };
}
