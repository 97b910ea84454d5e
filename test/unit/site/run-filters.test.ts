import { describe, expect, it } from 'vitest';
import type { RunHistoryEntry } from '../../../protocol/index.ts';
import { filterRuns, NO_FILTERS, optionsOf, outcomeOf } from '../../../site/client/run-filters.ts';

function entry(id: string, overrides: Partial<RunHistoryEntry>): RunHistoryEntry {
  return {
    id,
    runbook: { slug: 'etcd-backup', title: 'Back up etcd', contentHash: 'c' },
    operator: 'ana',
    mode: 'live',
    status: 'completed',
    environment: 'production',
    context: 'prod',
    createdAt: '2026-03-10T12:00:00.000Z',
    endedAt: null,
    durationMs: 1000,
    steps: { done: 2, failed: 0, interrupted: 0, total: 2 },
    drift: { runbookChanged: false, basis: 'runbook', steps: [] },
    ...overrides,
  };
}

const RUNS = [
  entry('a', {}),
  entry('b', { operator: 'Bob Smith', status: 'abandoned', environment: null, createdAt: '2026-03-12T08:00:00.000Z' }),
  entry('c', {
    runbook: { slug: 'getting-started', title: 'Tutorial', contentHash: 'd' },
    status: 'active',
    steps: { done: 1, failed: 1, interrupted: 0, total: 3 },
    environment: 'practice',
  }),
];
const ids = (runs: RunHistoryEntry[]) => runs.map((run) => run.id);

describe('the runs page filters', () => {
  it('keep every run when empty', () => {
    expect(ids(filterRuns(RUNS, NO_FILTERS))).toEqual(['a', 'b', 'c']);
  });

  it('filter by runbook, operator (any part, any case), outcome, environment and date', () => {
    expect(ids(filterRuns(RUNS, { ...NO_FILTERS, runbook: 'getting-started' }))).toEqual(['c']);
    expect(ids(filterRuns(RUNS, { ...NO_FILTERS, operator: 'bob' }))).toEqual(['b']);
    expect(ids(filterRuns(RUNS, { ...NO_FILTERS, outcome: 'failed' }))).toEqual(['c']);
    expect(ids(filterRuns(RUNS, { ...NO_FILTERS, outcome: 'completed' }))).toEqual(['a']);
    expect(ids(filterRuns(RUNS, { ...NO_FILTERS, environment: 'none' }))).toEqual(['b']);
    expect(ids(filterRuns(RUNS, { ...NO_FILTERS, environment: 'production' }))).toEqual(['a']);
    expect(ids(filterRuns(RUNS, { ...NO_FILTERS, from: '2026-03-11' }))).toEqual(['b']);
    expect(ids(filterRuns(RUNS, { ...NO_FILTERS, to: '2026-03-10' }))).toEqual(['a', 'c']);
    expect(
      ids(filterRuns(RUNS, { ...NO_FILTERS, from: '2026-03-10', to: '2026-03-10', environment: 'practice' })),
    ).toEqual(['c']);
  });

  it('offer the outcomes the runs have', () => {
    expect(RUNS.map(outcomeOf)).toEqual(['completed', 'abandoned', 'failed']);
    expect(optionsOf(RUNS, outcomeOf)).toEqual(['abandoned', 'completed', 'failed']);
  });

  it('show an open run that a stop of the runner cut short as interrupted, not failed', () => {
    const cut = entry('d', { status: 'active', steps: { done: 2, failed: 2, interrupted: 1, total: 3 } });
    expect(outcomeOf(cut)).toBe('interrupted');
    expect(ids(filterRuns([...RUNS, cut], { ...NO_FILTERS, outcome: 'interrupted' }))).toEqual(['d']);
    expect(outcomeOf({ ...cut, status: 'abandoned' })).toBe('abandoned');
  });
});
