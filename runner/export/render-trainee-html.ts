import { type ExportRecord, formatDuration } from '../../protocol/index.ts';
import { escapeHtml } from './html-style.ts';

// A training run's trainee report in the HTML record (and so in the PDF printed from it).
export function renderTraineeHtml({ trainee }: ExportRecord): string {
  if (!trainee) return '';
  const { totals } = trainee;
  const facts: [string, string][] = [
    ['Time', formatDuration(trainee.totalMs)],
    ['Steps done', `${totals.done} of ${totals.steps}`],
    ['Checks passed at the first attempt', `${totals.checksPassedFirstAttempt} of ${totals.checks}`],
    ['Re-runs', String(totals.reruns)],
    ['Skips', String(totals.skips)],
    ['Overrides', String(totals.overrides)],
    ['Hints used', String(totals.hintsUsed)],
  ];
  const steps = trainee.steps.map(
    (step) =>
      `<tr><td><code>${escapeHtml(step.id)}</code></td><td>${step.status}</td><td>${step.elapsedMs === null ? '—' : formatDuration(step.elapsedMs)}</td><td>${step.attempts}</td><td>${step.firstAttemptChecks.total === 0 ? '—' : `${step.firstAttemptChecks.passed}/${step.firstAttemptChecks.total}`}</td><td>${step.hintsShown.map(escapeHtml).join('; ') || '—'}</td></tr>`,
  );
  return [
    '<h2>Trainee report</h2>',
    `<table data-trainee>${facts.map(([name, value]) => `<tr><th>${name}</th><td>${value}</td></tr>`).join('')}</table>`,
    '<table data-trainee-steps><tr><th>step</th><th>status</th><th>time</th><th>attempts</th><th>first-attempt checks</th><th>hints</th></tr>',
    ...steps,
    '</table>',
  ].join('');
}
