import type { RunHistoryEntry } from '../../protocol/index.ts';

/** The runs page's filters, as its form holds them; empty means any. */
export interface RunFilters {
  runbook: string;
  operator: string;
  outcome: string;
  environment: string;
  /** YYYY-MM-DD, inclusive, on the day the run started (UTC). */
  from: string;
  to: string;
}

export const NO_FILTERS: RunFilters = { runbook: '', operator: '', outcome: '', environment: '', from: '', to: '' };

// The runs a set of filters keeps. The environment "none" keeps runs pinned to no labelled cluster.
export function filterRuns(runs: readonly RunHistoryEntry[], filters: RunFilters): RunHistoryEntry[] {
  const operator = filters.operator.trim().toLowerCase();
  return runs.filter((run) => {
    const day = run.createdAt.slice(0, 10);
    return (
      (!filters.runbook || run.runbook.slug === filters.runbook) &&
      (!operator || run.operator.toLowerCase().includes(operator)) &&
      (!filters.outcome || outcomeOf(run) === filters.outcome) &&
      (!filters.environment || (run.environment ?? 'none') === filters.environment) &&
      (!filters.from || day >= filters.from) &&
      (!filters.to || day <= filters.to)
    );
  });
}

// What a run came to, in one word: completed and abandoned as ended; an open run is
// "interrupted" when a stop of the runner cut a step short (re-run it or abandon the run),
// "failed" when its last attempt at some step failed, else "active".
export function outcomeOf(run: RunHistoryEntry): string {
  if (run.status !== 'active') return run.status;
  if (run.steps.interrupted > 0) return 'interrupted';
  return run.steps.failed > 0 ? 'failed' : 'active';
}

// The distinct values a filter can take, sorted, for its <select>.
export function optionsOf(runs: readonly RunHistoryEntry[], pick: (run: RunHistoryEntry) => string): string[] {
  return [...new Set(runs.map(pick))].sort();
}
