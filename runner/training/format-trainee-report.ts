import { formatDuration, type TraineeReport } from '../../protocol/index.ts';

// The trainee report as Markdown lines, for the exports to append (runner/export calls this).
export function formatTraineeReportMarkdown(report: TraineeReport): string {
  const { totals } = report;
  const lines = [
    '## Trainee report',
    '',
    `- Time: ${formatDuration(report.totalMs)}`,
    `- Steps done: ${totals.done} of ${totals.steps}`,
    `- Checks passed at the first attempt: ${totals.checksPassedFirstAttempt} of ${totals.checks}`,
    `- Re-runs: ${totals.reruns} · skips: ${totals.skips} · overrides: ${totals.overrides} · hints used: ${totals.hintsUsed}`,
    '',
    '| step | status | time | attempts | first-attempt checks | hints |',
    '|---|---|---|---|---|---|',
    ...report.steps
      .map((step) =>
        [
          `\`${step.id}\``,
          step.status,
          step.elapsedMs === null ? '—' : formatDuration(step.elapsedMs),
          String(step.attempts),
          step.firstAttemptChecks.total === 0
            ? '—'
            : `${step.firstAttemptChecks.passed}/${step.firstAttemptChecks.total}`,
          step.hintsShown.length === 0 ? '—' : step.hintsShown.map(escapeCell).join('; '),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
