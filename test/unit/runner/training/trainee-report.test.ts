import { describe, expect, it } from 'vitest';
import type { RunbookSpec, RunEvent, RunEventRecord } from '../../../../protocol/index.ts';
import { formatTraineeReportMarkdown } from '../../../../runner/training/format-trainee-report.ts';
import { computeTraineeReport } from '../../../../runner/training/trainee-report.ts';

const HASH = 'a'.repeat(64);
const command = (id: string, labels: string[]) => ({
  kind: 'command' as const,
  id,
  title: `Step ${id}`,
  hash: HASH,
  references: [],
  risk: 'read' as const,
  script: 'true',
  timeoutMs: 1000,
  idleTimeoutMs: null,
  target: { kind: 'local' as const },
  runsOn: 'operator' as const,
  captures: [],
  checks: labels.map((label) => ({
    label,
    assert: { kind: 'exit-code' as const, equals: 0 },
    wait: null,
    advisory: false,
  })),
  kube: [],
});
const RUNBOOK = {
  slug: 'r',
  sourcePath: 'r.mdx',
  contentHash: HASH,
  meta: { title: 'R', summary: 'S', system: 'etcd' },
  params: [],
  steps: [
    command('one', ['a', 'b']),
    { kind: 'manual', id: 'hand', title: 'By hand', hash: HASH, references: [], instruction: 'Do it', input: null },
    command('two', ['c']),
    command('three', []),
  ],
} as unknown as RunbookSpec;

function journal(events: [number, RunEvent][]): RunEventRecord[] {
  return events.map(([second, event], index) => ({
    seq: index + 1,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    runId: 'run-1',
    event,
  }));
}
const started = (stepId: string, attempt: number): RunEvent => ({
  type: 'step-started',
  stepId,
  stepHash: HASH,
  attempt,
  script: 'true',
  references: [],
  processMarker: 'm',
  target: null,
});
const finished = (stepId: string, attempt: number, outcome: 'succeeded' | 'failed', durationMs: number): RunEvent => ({
  type: 'step-finished',
  stepId,
  attempt,
  outcome,
  exitCode: outcome === 'succeeded' ? 0 : 1,
  signal: null,
  durationMs,
  timedOut: false,
  canceled: false,
  message: null,
});
const check = (stepId: string, attempt: number, label: string, passed: boolean): RunEvent => ({
  type: 'check-result',
  stepId,
  attempt,
  label,
  passed,
  detail: '',
  node: null,
});

const RECORDS = journal([
  [
    0,
    {
      type: 'run-created',
      runbook: { slug: 'r', title: 'R', contentHash: HASH },
      mode: 'training',
      operator: 'tia',
      params: {},
      workdir: '/w',
      target: null,
    },
  ],
  [1, started('one', 1)],
  [2, check('one', 1, 'a', false)],
  [2, check('one', 1, 'a', true)],
  [2, check('one', 1, 'b', false)],
  [3, finished('one', 1, 'failed', 1500)],
  [5, { type: 'hint-shown', stepId: 'one', attempt: 1, label: 'b' }],
  [6, { type: 'hint-shown', stepId: 'one', attempt: 1, label: 'b' }],
  [10, started('one', 2)],
  [11, check('one', 2, 'b', true)],
  [12, finished('one', 2, 'succeeded', 2000)],
  [20, { type: 'manual-acknowledged', stepId: 'hand', value: null }],
  [21, { type: 'value-overridden', name: 'x', value: { secret: true }, reason: 'typo' }],
  [22, { type: 'preflight-overridden', itemId: 'tool:etcdctl', reason: 'installed elsewhere' }],
  [23, started('two', 1)],
  [24, check('two', 1, 'c', true)],
  [25, finished('two', 1, 'succeeded', 900)],
  [30, { type: 'step-skipped', stepId: 'three', reason: 'later' }],
  [40, { type: 'run-ended', status: 'completed' }],
]);

describe('the trainee report', () => {
  it('counts time, first-attempt checks (a wait check by its last poll), re-runs, skips, overrides and hints', () => {
    const report = computeTraineeReport(RECORDS, RUNBOOK);
    expect(report).toMatchObject({ runId: 'run-1', operator: 'tia', status: 'completed', totalMs: 40_000 });
    expect(report.totals).toEqual({
      steps: 4,
      done: 3,
      checks: 3,
      checksPassedFirstAttempt: 2,
      reruns: 1,
      skips: 1,
      overrides: 2,
      hintsUsed: 1,
    });
    expect(report.steps.map((step) => [step.id, step.status, step.attempts, step.elapsedMs, step.runningMs])).toEqual([
      ['one', 'succeeded', 2, 11_000, 3500],
      ['hand', 'acknowledged', 0, null, 0],
      ['two', 'succeeded', 1, 2000, 900],
      ['three', 'skipped', 0, null, 0],
    ]);
    expect(report.steps[0]?.firstAttemptChecks).toEqual({ total: 2, passed: 1 });
    expect(report.steps[0]?.hintsShown).toEqual(['b']);
  });

  it('measures an active run up to its last event', () => {
    const report = computeTraineeReport(RECORDS.slice(0, 11), RUNBOOK);
    expect(report).toMatchObject({ status: 'active', endedAt: null, totalMs: 12_000 });
  });

  it('reads as Markdown for the exports', () => {
    const text = formatTraineeReportMarkdown(computeTraineeReport(RECORDS, RUNBOOK));
    expect(text).toContain('Checks passed at the first attempt: 2 of 3');
    expect(text).toContain('Re-runs: 1 · skips: 1 · overrides: 2 · hints used: 1');
    expect(text).toContain('| `one` | succeeded | 11 s | 2 | 1/2 | b |');
  });
});
