import type { DryRunPlan, RunbookSpec, RunEventRecord, RunView } from '../../protocol/index.ts';
import { ApiError, RunnerApi } from './api.ts';
import { askText } from './dialogs.ts';
import { h, must } from './dom.ts';
import { openText } from './downloads.ts';
import { renderDryRun } from './dry-run-view.ts';
import { OutputView } from './output-view.ts';
import { showPodsProgress } from './pods-progress.ts';
import { renderPreflight } from './preflight-view.ts';
import { renderRunHeader } from './run-header.ts';
import { runStepFromPage } from './run-step.ts';
import { describeFailure, isRunnerProblem, isWrongKey } from './runner-status.ts';
import { loadContexts, renderStartForm } from './start-form.ts';
import { renderManual, renderStep } from './step-controls.ts';
import { showStepTarget } from './target-banner.ts';
import { readToken } from './token.ts';
import { TrainingView } from './training-view.ts';
import { fillPlaceholders, renderValues } from './values-view.ts';

// <db-run-panel>: turns a runbook page into a run. State lives in the runner; the page shows it,
// follows its events and sends commands (step ids and values, never commands to run).
class RunPanel extends HTMLElement {
  #api!: RunnerApi;
  #runbook!: RunbookSpec;
  #view: RunView | null = null;
  #plan: DryRunPlan | null = null;
  #outputs = new Map<string, OutputView>();
  #follow: AbortController | undefined;
  #refresh = 0;
  #panel!: HTMLElement;
  #alert = h('p', { class: 'db-alert', role: 'alert', hidden: true });
  #training!: TrainingView;
  #choosingPodIn: string | null = null;

  connectedCallback(): void {
    const token = readToken();
    if (!token) return;
    this.#api = new RunnerApi(token);
    this.#runbook = JSON.parse(must(document, '#db-runbook-data').textContent ?? '{}') as RunbookSpec;
    this.#panel = must(this, '[data-panel]');
    this.#training = new TrainingView(this.#api, this.#runbook, (action) => this.#guard(action));
    this.#panel.hidden = false;
    must<HTMLElement>(this, '[data-offline]').hidden = true;
    this.#wireSteps();
    const runId = new URLSearchParams(location.search).get('run');
    if (runId) void this.#attach(runId);
    else void this.#showStart();
  }

  async #showStart(): Promise<void> {
    const contexts = await loadContexts(this.#api);
    if ('failure' in contexts && isWrongKey(contexts.failure)) {
      this.#panel.hidden = true;
      return;
    }
    const form = renderStartForm(this.#runbook, contexts, async (request) => {
      await this.#guard(async () => {
        const view = await this.#api.post<RunView>('/runs', { runbook: this.#runbook.slug, ...request });
        history.replaceState(null, '', `?run=${encodeURIComponent(view.id)}${location.hash}`);
        await this.#attach(view.id);
      });
    });
    this.#panel.replaceChildren(
      this.#alert,
      form,
      h('p', {}, h('a', { href: '/runs/' }, 'Resume or open an earlier run')),
    );
  }

  async #attach(runId: string): Promise<void> {
    await this.#guard(async () => {
      this.#view = await this.#api.run(runId);
      await this.#loadPlan();
      this.#renderRunHeader();
      this.#render();
      this.#follow?.abort();
      this.#follow = new AbortController();
      for (const output of this.#outputs.values()) output.reset(0);
      void this.#api
        .follow(runId, (record) => this.#onRecord(record), this.#follow.signal)
        .catch((error: unknown) => this.#showError(error));
    });
  }

  #onRecord({ event }: RunEventRecord): void {
    if (event.type === 'output') {
      this.#outputs.get(event.stepId)?.append(event.attempt, event.text);
      return;
    }
    if (event.type === 'node-started')
      this.#outputs
        .get(event.stepId)
        ?.append(event.attempt, `── on node ${event.node} (${event.index} of ${event.total})\n`);
    if (event.type === 'node-finished')
      this.#outputs
        .get(event.stepId)
        ?.append(event.attempt, `── ${event.node}: ${event.outcome}${event.message ? ` (${event.message})` : ''}\n`);
    if (event.type === 'warning')
      this.#panel.querySelector('[data-warnings]')?.append(h('li', { role: 'status' }, event.message));
    if (event.type === 'step-started') this.#outputs.get(event.stepId)?.reset(event.attempt);
    if (event.type === 'pods-progress') showPodsProgress(event);
    if (event.type === 'hint-shown') this.#training.noteHintShown(event.stepId, event.label);
    if (event.type === 'output-truncated')
      this.#showTruncated(event.stepId, event.shownBytes, event.logFile, event.tail);
    clearTimeout(this.#refresh);
    this.#refresh = window.setTimeout(() => void this.#reload(), 30);
  }

  async #reload(): Promise<void> {
    if (!this.#view) return;
    await this.#guard(async () => {
      this.#view = await this.#api.run((this.#view as RunView).id);
      await this.#loadPlan();
      this.#render();
    });
  }

  // A dry run shows each step's command as it would run; the runner renders it.
  async #loadPlan(): Promise<void> {
    const view = this.#view;
    this.#plan = view?.mode === 'dry-run' ? await this.#api.get<DryRunPlan>(`/runs/${view.id}/plan`) : null;
  }

  #renderRunHeader(): void {
    const view = this.#view as RunView;
    this.#panel.replaceChildren(
      this.#alert,
      ...renderRunHeader(view, {
        api: this.#api,
        guard: (action) => this.#guard(action),
        reload: () => this.#reload(),
      }),
    );
    this.#training.mount(this.#panel);
  }

  #render(): void {
    const view = this.#view;
    if (!view) return;
    const status = this.#panel.querySelector('[data-run-status]');
    if (status)
      status.textContent = `${view.operator} · ${view.mode} · ${view.status}${view.runningStep ? ` · running ${view.runningStep}` : ''}`;
    for (const button of this.#panel.querySelectorAll<HTMLButtonElement>('[data-end]'))
      button.disabled = view.status !== 'active' || view.runningStep !== null;
    renderPreflight(must(this.#panel, '[data-preflight-list]'), view, {
      recheck: () => void this.#guard(() => this.#api.post(`/runs/${view.id}/preflight`)),
      override: (item) => void this.#overridePreflight(item.id, item.label),
    });
    renderValues(must(this.#panel, '[data-values]'), view, (value) => void this.#override(value.name, value.secret));
    must(this.#panel, '[data-notes]').replaceChildren(
      ...view.notes.map((note) => h('li', {}, `${new Date(note.at).toLocaleTimeString()}: ${note.text}`)),
    );
    fillPlaceholders(view);
    for (const step of view.steps) {
      const section = document.getElementById(`step-${step.id}`);
      if (!section) continue;
      if (step.kind === 'command') {
        renderStep(section, step, view, {
          choose: (name, index) => void this.#choose(name, index),
          runbook: this.#runbook,
          choosingPodIn: this.#choosingPodIn,
        });
        showStepTarget(section, view.target);
      } else renderManual(must(section, '[data-manual-controls]'), step, view);
    }
    if (this.#plan) renderDryRun(this.#plan);
    this.#training.render(view);
  }

  #wireSteps(): void {
    for (const spec of this.#runbook.steps) {
      const section = document.getElementById(`step-${spec.id}`);
      if (!section) continue;
      if (spec.kind === 'manual') {
        const form = must<HTMLFormElement>(section, '[data-manual-controls]');
        form.hidden = false;
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          const input = form.querySelector<HTMLInputElement>('[data-manual-input]');
          void this.#guard(async () => {
            await this.#api.post(
              `/runs/${this.#runId()}/steps/${spec.id}/acknowledge`,
              input ? { value: input.value } : {},
            );
            if (input) input.value = '';
          });
        });
        continue;
      }
      must<HTMLElement>(section, '[data-step-controls]').hidden = false;
      this.#outputs.set(spec.id, new OutputView(must(section, '[data-output-wrap]')));
      const on = (action: string, handler: () => Promise<void>) =>
        section.querySelector(`[data-action="${action}"]`)?.addEventListener('click', () => void this.#guard(handler));
      on('run', () =>
        runStepFromPage(spec, {
          api: this.#api,
          view: this.#currentView(),
          askPod: (stepId, ask) => this.#askPod(stepId, ask),
        }),
      );
      on('cancel', () => this.#api.post(`/runs/${this.#runId()}/steps/${spec.id}/cancel`));
      on('skip', async () => {
        const answer = await askText({
          title: `Skip "${spec.title}"`,
          fields: [{ name: 'reason', label: 'Why is it skipped?', multiline: true }],
          confirm: 'Skip step',
        });
        if (answer) await this.#api.post(`/runs/${this.#runId()}/steps/${spec.id}/skip`, { reason: answer.reason });
      });
      on('full-log', async () => {
        const file = section.querySelector<HTMLElement>('[data-truncated]')?.dataset.logFile;
        if (file) await openText(this.#api, `/runs/${this.#runId()}/logs/${file}`);
      });
    }
  }

  #showTruncated(stepId: string, shownBytes: number, logFile: string, tail: string): void {
    const section = document.getElementById(`step-${stepId}`);
    const note = section?.querySelector<HTMLElement>('[data-truncated]');
    if (!note) return;
    note.hidden = false;
    note.dataset.logFile = logFile;
    must(note, '[data-truncated-text]').textContent =
      `Showing the first ${Math.round(shownBytes / 1024)} KiB. The output ended with: …${tail.slice(-300)}`;
  }

  async #override(name: string, secret: boolean): Promise<void> {
    const answer = await askText({
      title: `Override {{${name}}}`,
      fields: [
        { name: 'value', label: 'New value', secret },
        { name: 'reason', label: 'Why (recorded with the run)', multiline: true },
      ],
      confirm: 'Override',
    });
    if (answer) await this.#guard(() => this.#api.post(`/runs/${this.#runId()}/values/${name}/override`, answer));
  }

  async #overridePreflight(itemId: string, label: string): Promise<void> {
    const answer = await askText({
      title: `Override "${label}"`,
      fields: [{ name: 'reason', label: 'Why run on anyway (recorded with the run)', multiline: true }],
      confirm: 'Override',
    });
    if (answer)
      await this.#guard(() => this.#api.post(`/runs/${this.#runId()}/preflight/override`, { itemId, ...answer }));
  }

  // While the "which pod?" dialog is open, the steps waiting for this one's captures say so.
  async #askPod<T>(stepId: string, ask: () => Promise<T>): Promise<T> {
    this.#choosingPodIn = stepId;
    this.#render();
    try {
      return await ask();
    } finally {
      this.#choosingPodIn = null;
      this.#render();
    }
  }

  async #choose(name: string, index: number): Promise<void> {
    await this.#guard(() => this.#api.post(`/runs/${this.#runId()}/values/${name}/choose`, { index }));
  }

  #currentView(): RunView {
    if (!this.#view) throw new ApiError(400, 'NO_RUN', 'start a run first');
    return this.#view;
  }

  #runId(): string {
    return this.#currentView().id;
  }

  async #guard(action: () => Promise<unknown>): Promise<void> {
    try {
      this.#alert.hidden = true;
      await action();
    } catch (error) {
      this.#showError(error);
    }
  }

  // The runner's own problems are told once, by the page-wide banner; a panel that has shown
  // nothing yet stays hidden rather than empty.
  #showError(error: unknown): void {
    if (isRunnerProblem(error)) {
      this.#alert.hidden = true;
      if (!this.#alert.isConnected) this.#panel.hidden = true;
      return;
    }
    this.#alert.hidden = false;
    this.#alert.textContent = describeFailure(error);
    if (!this.#alert.isConnected) this.#panel.prepend(this.#alert);
  }
}

if (!customElements.get('db-run-panel')) customElements.define('db-run-panel', RunPanel);
