import { formatDuration } from '../../protocol/format-duration.ts';
import type { DrillGrade, DrillListItem, StartedDrill } from '../../protocol/index.ts';
import { ApiError, RunnerApi } from './api.ts';
import { h, must } from './dom.ts';
import { renderDrill, renderGrade } from './drills-render.ts';
import { describeFailure, isRunnerProblem } from './runner-status.ts';
import { readToken } from './token.ts';

/** The attempt under way, kept across reloads and the runbook tabs it opens. */
const ACTIVE_KEY = 'drillbook-drill-attempt';

// <db-drills>: the drills with their past attempts; starting one resets and breaks the practice
// cluster, shows the symptoms, a timer and the training runs; finishing grades the attempt.
class DrillsPage extends HTMLElement {
  #api: RunnerApi | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  async connectedCallback(): Promise<void> {
    const token = readToken();
    if (!token) return;
    must<HTMLElement>(this, '[data-offline]').hidden = true;
    this.#api = new RunnerApi(token);
    must(this, '[data-drills]').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#start(event.target as HTMLFormElement);
    });
    must(this, '[data-drills]').addEventListener('input', (event) => {
      const input = event.target as HTMLInputElement;
      if (input.value.trim() !== '') input.removeAttribute('aria-invalid');
    });
    must(this, '[data-finish]').addEventListener('click', () => void this.#finish());
    const active = readActive();
    if (active) this.#showAttempt(active);
    await this.#load();
  }

  disconnectedCallback(): void {
    clearInterval(this.#timer);
  }

  async #load(): Promise<void> {
    try {
      const drills = await (this.#api as RunnerApi).get<DrillListItem[]>('/drills');
      must(this, '[data-drills]').replaceChildren(...drills.map(renderDrill));
      this.#lockForms(readActive() !== null);
    } catch (error) {
      this.#status(messageOf(error));
    }
  }

  async #start(form: HTMLFormElement): Promise<void> {
    const name = form.dataset.start as string;
    const input = must<HTMLInputElement>(form, 'input[name="operator"]');
    const error = must<HTMLElement>(form, '[data-error]');
    const operator = input.value.trim();
    if (operator === '') {
      error.textContent = 'Enter your name as the operator to start the drill.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    this.#lockForms(true);
    this.#status('Resetting the practice cluster and injecting the fault…');
    try {
      const started = await (this.#api as RunnerApi).post<StartedDrill>(
        `/drills/${encodeURIComponent(name)}/attempts`,
        { operator },
      );
      localStorage.setItem(ACTIVE_KEY, JSON.stringify(started));
      this.#status('');
      this.#showAttempt(started);
    } catch (failure) {
      error.textContent = messageOf(failure);
      this.#status('');
      this.#lockForms(false);
    }
  }

  #showAttempt(started: StartedDrill): void {
    const section = must<HTMLElement>(this, '[data-attempt]');
    section.hidden = false;
    section.dataset.attempt = started.attemptId;
    must(section, '[data-attempt-title]').textContent = `${started.title} — ${started.operator}`;
    must(section, '[data-symptoms]').textContent = started.symptoms;
    must(section, '[data-runs]').replaceChildren(
      ...started.runs.map((run) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: `/runbooks/${run.slug}/?run=${encodeURIComponent(run.runId)}`,
              target: '_blank',
              rel: 'noopener',
              'data-run': run.runId,
            },
            `Open ${run.slug} (training run ${run.runId})`,
          ),
        ),
      ),
    );
    must(section, '[data-grade]').replaceChildren();
    must<HTMLButtonElement>(section, '[data-finish]').disabled = false;
    const timer = must<HTMLElement>(section, '[data-timer]');
    const tick = () => {
      const elapsed = Date.now() - Date.parse(started.startedAt);
      timer.textContent = `${formatDuration(Math.floor(elapsed / 1000) * 1000)} of ${formatDuration(started.timeLimit)}`;
      timer.toggleAttribute('data-over', elapsed > started.timeLimit);
    };
    tick();
    clearInterval(this.#timer);
    this.#timer = setInterval(tick, 1000);
  }

  async #finish(): Promise<void> {
    const active = readActive();
    if (!active) return;
    const button = must<HTMLButtonElement>(this, '[data-finish]');
    button.disabled = true;
    this.#status('Checking the success criteria against the practice cluster…');
    try {
      const grade = await (this.#api as RunnerApi).post<DrillGrade>(
        `/drills/attempts/${encodeURIComponent(active.attemptId)}/finish`,
        {},
      );
      clearInterval(this.#timer);
      localStorage.removeItem(ACTIVE_KEY);
      must(this, '[data-grade]').replaceChildren(renderGrade(grade));
      this.#status('');
      await this.#load();
    } catch (failure) {
      this.#status(messageOf(failure));
      const gone = failure instanceof ApiError && (failure.code === 'RUN_ENDED' || failure.code === 'NOT_FOUND');
      if (gone) {
        clearInterval(this.#timer);
        localStorage.removeItem(ACTIVE_KEY);
        this.#lockForms(false);
      } else button.disabled = false;
    }
  }

  #lockForms(locked: boolean): void {
    for (const button of this.querySelectorAll<HTMLButtonElement>('form[data-start] button')) button.disabled = locked;
  }

  #status(text: string): void {
    const status = must<HTMLElement>(this, '[data-status]');
    status.hidden = text === '';
    status.textContent = text;
  }
}

function readActive(): StartedDrill | null {
  try {
    return JSON.parse(localStorage.getItem(ACTIVE_KEY) ?? 'null') as StartedDrill | null;
  } catch {
    return null;
  }
}

// The runner's own problems are told by the page-wide banner, not again next to a control.
function messageOf(error: unknown): string {
  return isRunnerProblem(error) ? '' : describeFailure(error);
}

if (!customElements.get('db-drills')) customElements.define('db-drills', DrillsPage);
