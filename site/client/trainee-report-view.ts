import { formatDuration } from '../../protocol/format-duration.ts';
import type { TraineeReport } from '../../protocol/index.ts';
import { h } from './dom.ts';

// The trainee report of an ended training run, as the runner computed it from the run's events.
export function renderTraineeReport(report: TraineeReport): HTMLElement {
  const { totals } = report;
  const total = (name: string, label: string, value: string) =>
    h('div', { class: 'db-trainee-total', 'data-total': name }, h('dt', {}, label), h('dd', {}, value));
  return h(
    'div',
    { class: 'db-trainee-report', 'data-trainee-report': true },
    h('h3', {}, `Trainee report: ${report.operator}, run ${report.status}`),
    h(
      'dl',
      { class: 'db-trainee-totals' },
      total('time', 'Time', formatDuration(report.totalMs)),
      total('done', 'Steps done', `${totals.done} of ${totals.steps}`),
      total(
        'first-attempt',
        'Checks passed at the first attempt',
        `${totals.checksPassedFirstAttempt} of ${totals.checks}`,
      ),
      total('reruns', 'Re-runs', String(totals.reruns)),
      total('skips', 'Skips', String(totals.skips)),
      total('overrides', 'Overrides', String(totals.overrides)),
      total('hints', 'Hints used', String(totals.hintsUsed)),
    ),
    h(
      'table',
      { class: 'db-trainee-steps' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Step', 'Status', 'Time', 'Attempts', 'First-attempt checks', 'Hints'].map((text) =>
            h('th', { scope: 'col' }, text),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...report.steps.map((step) =>
          h(
            'tr',
            { 'data-trainee-step': step.id },
            h('th', { scope: 'row' }, step.title),
            h('td', {}, step.status),
            h('td', {}, step.elapsedMs === null ? '—' : formatDuration(step.elapsedMs)),
            h('td', {}, String(step.attempts)),
            h(
              'td',
              {},
              step.firstAttemptChecks.total === 0
                ? '—'
                : `${step.firstAttemptChecks.passed} of ${step.firstAttemptChecks.total}`,
            ),
            h('td', {}, step.hintsShown.length === 0 ? '—' : step.hintsShown.join('; ')),
          ),
        ),
      ),
    ),
  );
}
