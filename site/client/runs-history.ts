import { formatDuration, type RunHistory, type RunHistoryEntry } from '../../protocol/index.ts';
import { RunnerApi } from './api.ts';
import { confirmAction } from './dialogs.ts';
import { h, must } from './dom.ts';
import { download } from './downloads.ts';
import { filterRuns, NO_FILTERS, optionsOf, outcomeOf, type RunFilters } from './run-filters.ts';
import { describeFailure, isRunnerProblem } from './runner-status.ts';
import { readToken } from './token.ts';

// <db-runs-history>: every run the runner knows, newest first, filtered by runbook, operator,
// outcome, environment and date, each with its duration, outcome and what changed in its
// runbook since.
class RunsHistory extends HTMLElement {
  #runs: RunHistoryEntry[] = [];
  #api: RunnerApi | undefined;

  async connectedCallback(): Promise<void> {
    const token = readToken();
    if (!token) return;
    must<HTMLElement>(this, '[data-offline]').hidden = true;
    const count = must<HTMLElement>(this, '[data-count]');
    count.hidden = false;
    const form = must<HTMLFormElement>(this, 'form[data-filters]');
    this.#api = new RunnerApi(token);
    if (!(await this.#load(form))) return;
    form.hidden = false;
    form.addEventListener('input', () => this.#render(form));
    form.addEventListener('submit', (event) => event.preventDefault());
    this.addEventListener('db-runs-changed', () => void this.#load(form));
  }

  // Fetches the runs, fills the filters' choices (keeping what is selected) and renders.
  async #load(form: HTMLFormElement): Promise<boolean> {
    try {
      this.#runs = (await (this.#api as RunnerApi).get<RunHistory>('/history')).runs;
    } catch (error) {
      const count = must<HTMLElement>(this, '[data-count]');
      count.hidden = isRunnerProblem(error);
      count.textContent = describeFailure(error);
      return false;
    }
    fillSelect(
      form,
      'runbook',
      optionsOf(this.#runs, (run) => run.runbook.slug),
    );
    fillSelect(form, 'outcome', optionsOf(this.#runs, outcomeOf));
    fillSelect(
      form,
      'environment',
      optionsOf(this.#runs, (run) => run.environment ?? 'none'),
    );
    this.#render(form);
    return true;
  }

  #render(form: HTMLFormElement): void {
    const data = new FormData(form);
    const filters = Object.fromEntries(
      Object.keys(NO_FILTERS).map((name) => [name, String(data.get(name) ?? '')]),
    ) as unknown as RunFilters;
    const shown = filterRuns(this.#runs, filters);
    must(this, '[data-count]').textContent =
      `${shown.length} of ${this.#runs.length} ${this.#runs.length === 1 ? 'run' : 'runs'}`;
    const api = this.#api as RunnerApi;
    must(this, '[data-runs]').replaceChildren(...shown.map((run) => renderRun(run, api)));
  }
}

function fillSelect(form: HTMLFormElement, name: string, values: string[]): void {
  const select = must<HTMLSelectElement>(form, `select[name="${name}"]`);
  const selected = select.value;
  for (const option of [...select.options]) if (option.value !== '') option.remove();
  select.append(...values.map((value) => h('option', { value, selected: value === selected }, value)));
}

function renderRun(run: RunHistoryEntry, api: RunnerApi): HTMLElement {
  const outcome = outcomeOf(run);
  return h(
    'li',
    { 'data-run': run.id, 'data-status': run.status, 'data-outcome': outcome },
    h('a', { href: `/runbooks/${run.runbook.slug}/?run=${encodeURIComponent(run.id)}` }, run.runbook.title),
    h(
      'p',
      {},
      h('strong', { 'data-outcome-label': true }, outcome),
      ` · ${formatDuration(run.durationMs)} · ${run.steps.done}/${run.steps.total} steps · ${run.operator} · ${run.mode} · ${run.environment ?? 'no environment'}${run.context ? ` (${run.context})` : ''} · started ${new Date(run.createdAt).toLocaleString()}`,
    ),
    renderExports(run, api),
    outcome === 'interrupted' ? renderAbandon(run, api) : null,
    renderDrift(run),
  );
}

// An interrupted run stays open until someone re-runs its step or closes it: here it can be closed.
function renderAbandon(run: RunHistoryEntry, api: RunnerApi): HTMLElement {
  const button = h('button', { type: 'button', class: 'db-button db-button-quiet', 'data-abandon': true }, 'Abandon');
  const problem = h('span', { class: 'db-run-abandon-error', role: 'alert' });
  button.addEventListener('click', async () => {
    if (!(await confirmAction('Abandon', 'Abandon this run? It stays in the record as abandoned.', 'Abandon'))) return;
    try {
      await api.post(`/runs/${run.id}/abandon`);
      button.closest('db-runs-history')?.dispatchEvent(new CustomEvent('db-runs-changed'));
    } catch (error) {
      problem.textContent = error instanceof Error ? error.message : String(error);
    }
  });
  return h(
    'p',
    { class: 'db-run-interrupted' },
    'A stop of the runner cut a step short: re-run it from the run, or ',
    button,
    problem,
  );
}

function renderExports(run: RunHistoryEntry, api: RunnerApi): HTMLElement {
  const buttons = ['md', 'json', 'html', 'pdf'].map((format) => {
    const button = h(
      'button',
      { type: 'button', class: 'db-button db-button-quiet', 'data-export': format },
      format.toUpperCase(),
    );
    button.addEventListener('click', () => {
      void download(api, `/runs/${run.id}/export.${format}`, `drillbook-${run.id}.${format}`).catch(
        (error: unknown) => {
          button.title = describeFailure(error);
        },
      );
    });
    return button;
  });
  return h('p', { class: 'db-run-exports' }, 'Record: ', ...buttons);
}

function renderDrift({ drift }: RunHistoryEntry): HTMLElement | null {
  if (!drift.runbookChanged) return null;
  const summary =
    drift.steps.length === 0
      ? 'The runbook changed since this run; none of the steps it ran did.'
      : `The runbook changed since this run: ${drift.steps.length} ${drift.steps.length === 1 ? 'step' : 'steps'} differ.`;
  return h(
    'div',
    { class: 'db-run-drift', 'data-drift': true },
    h('p', {}, summary),
    ...drift.steps.map((step) =>
      h(
        'details',
        { 'data-drift-step': step.id },
        h('summary', {}, `${step.title} (${step.id}): ${step.change}`),
        h('pre', {}, step.diff),
      ),
    ),
  );
}

if (!customElements.get('db-runs-history')) customElements.define('db-runs-history', RunsHistory);
