import { formatDuration } from '../../protocol/format-duration.ts';
import type { DrillAttemptSummary, DrillGrade, DrillListItem, TraineeReport } from '../../protocol/index.ts';
import { h } from './dom.ts';

// One drill as the list shows it: what the trainee is told (never the fault), its past attempts,
// and the form that starts an attempt.
export function renderDrill(drill: DrillListItem): HTMLElement {
  const operatorId = `db-drill-operator-${drill.name}`;
  return h(
    'article',
    { 'data-drill': drill.name },
    h('h2', {}, drill.title),
    h('p', {}, drill.summary),
    h(
      'p',
      { class: 'db-eyebrow' },
      `Fixture ${drill.fixture} · time limit ${formatDuration(drill.timeLimit)} · runbook ${drill.runbooks.join(', ')}`,
    ),
    h('p', {}, h('strong', {}, 'Symptoms: '), drill.symptoms),
    renderAttempts(drill.attempts),
    h(
      'form',
      { class: 'db-drill-start', 'data-start': drill.name, novalidate: true },
      h(
        'label',
        { for: operatorId },
        'Operator',
        h('input', { id: operatorId, name: 'operator', autocomplete: 'name', required: true, maxlength: '120' }),
      ),
      h('button', { type: 'submit', class: 'db-button' }, 'Start drill'),
      h('p', { role: 'alert', 'data-error': true }),
    ),
  );
}

export function renderAttempts(attempts: readonly DrillAttemptSummary[]): HTMLElement {
  if (attempts.length === 0) return h('p', { 'data-attempts': 'none' }, 'No attempts yet.');
  return h(
    'table',
    { 'data-attempts': String(attempts.length) },
    h('caption', {}, 'Past attempts'),
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'Operator'), h('th', {}, 'Started'), h('th', {}, 'Took'), h('th', {}, 'Result')),
    ),
    h(
      'tbody',
      {},
      ...attempts.map((attempt) =>
        h(
          'tr',
          { 'data-attempt-id': attempt.id },
          h('td', {}, attempt.operator),
          h('td', {}, new Date(attempt.startedAt).toLocaleString()),
          h(
            'td',
            {},
            attempt.finishedAt ? formatDuration(Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt)) : '—',
          ),
          h('td', { 'data-result': attempt.status }, attempt.status),
        ),
      ),
    ),
  );
}

// The grade: pass or fail per criterion, against the time limit, then each run's trainee report.
export function renderGrade(grade: DrillGrade): HTMLElement {
  const passed = grade.criteria.filter((criterion) => criterion.passed).length;
  const over = grade.elapsedMs > grade.timeLimit;
  return h(
    'div',
    { 'data-verdict': grade.status },
    h(
      'h3',
      {},
      `Drill ${grade.status === 'passed' ? 'passed' : 'failed'}: ${passed} of ${grade.criteria.length} criteria met`,
    ),
    h(
      'p',
      {},
      `In ${formatDuration(grade.elapsedMs)} (time limit ${formatDuration(grade.timeLimit)}${over ? ', exceeded' : ''}).`,
    ),
    h(
      'ul',
      { 'data-criteria': true },
      ...grade.criteria.map((criterion) =>
        h(
          'li',
          { 'data-passed': String(criterion.passed) },
          h('strong', {}, criterion.passed ? '✔ Pass ' : '✘ Fail '),
          `${criterion.label}: ${criterion.detail}`,
        ),
      ),
    ),
    ...grade.reports.map(renderReport),
  );
}

function renderReport(report: TraineeReport): HTMLElement {
  const { totals } = report;
  return h(
    'section',
    { 'data-report': report.runId },
    h('h3', {}, `Trainee report: ${report.runbook.title}`),
    h(
      'p',
      {},
      `${totals.done} of ${totals.steps} steps done · checks passed at the first attempt ${totals.checksPassedFirstAttempt} of ${totals.checks} · re-runs ${totals.reruns} · skips ${totals.skips} · overrides ${totals.overrides} · hints ${totals.hintsUsed} · ${formatDuration(report.totalMs)}`,
    ),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'Step'), h('th', {}, 'Status'), h('th', {}, 'Attempts'), h('th', {}, 'Time')),
      ),
      h(
        'tbody',
        {},
        ...report.steps.map((step) =>
          h(
            'tr',
            { 'data-step': step.id },
            h('td', {}, step.title),
            h('td', {}, step.status),
            h('td', {}, String(step.attempts)),
            h('td', {}, step.elapsedMs === null ? '—' : formatDuration(step.elapsedMs)),
          ),
        ),
      ),
    ),
  );
}
