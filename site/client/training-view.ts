import type { RunbookSpec, RunView, StepSpec, StepView, TraineeReport } from '../../protocol/index.ts';
import type { RunnerApi } from './api.ts';
import { h } from './dom.ts';
import { renderTraineeReport } from './trainee-report-view.ts';

const DONE: ReadonlySet<StepView['status']> = new Set(['succeeded', 'acknowledged', 'skipped']);

// Training mode on a runbook page: the next step is marked and explained before it runs, a failed
// check offers its hint (recorded by the runner), and the ended run shows the trainee report.
export class TrainingView {
  #api: RunnerApi;
  #runbook: RunbookSpec;
  #guard: (action: () => Promise<unknown>) => Promise<void>;
  #view: RunView | null = null;
  #shownHints = new Set<string>();
  #reportFor = '';
  #root = h('section', { class: 'db-training', 'data-training': true, 'aria-label': 'Training', hidden: true });

  constructor(api: RunnerApi, runbook: RunbookSpec, guard: (action: () => Promise<unknown>) => Promise<void>) {
    this.#api = api;
    this.#runbook = runbook;
    this.#guard = guard;
  }

  // Puts the training area right under the run header (the header is rebuilt on each attach).
  mount(panel: HTMLElement): void {
    this.#reportFor = '';
    this.#shownHints.clear();
    panel.querySelector('.db-run-header')?.after(this.#root);
  }

  // The event stream replays the run from its start, so a reload knows which hints were shown.
  noteHintShown(stepId: string, label: string): void {
    this.#shownHints.add(hintKey(stepId, label));
  }

  render(view: RunView): void {
    this.#view = view;
    const training = view.mode === 'training';
    this.#root.hidden = !training;
    const current = training && view.status === 'active' ? findCurrentStep(view) : null;
    for (const spec of this.#runbook.steps) {
      const section = document.getElementById(`step-${spec.id}`);
      if (!section) continue;
      markCurrent(section, spec, current?.id === spec.id);
      if (training) this.#renderHints(section, spec.id, view);
    }
    if (!training) return;
    if (view.status === 'active') this.#showNext(current);
    else void this.#showReport(view);
  }

  #showNext(current: StepView | null): void {
    const spec = this.#runbook.steps.find((step) => step.id === current?.id);
    this.#root.replaceChildren(
      spec
        ? h(
            'p',
            { class: 'db-training-next', 'data-training-next': spec.id },
            'Training: the next step is ',
            h('a', { href: `#step-${spec.id}` }, spec.title),
            '. Read what it is for before you run it.',
          )
        : h('p', { class: 'db-training-next' }, 'Training: every step is done. Complete the run to see your report.'),
    );
    this.#reportFor = '';
  }

  async #showReport(view: RunView): Promise<void> {
    const key = `${view.id}:${view.status}`;
    if (this.#reportFor === key) return;
    this.#reportFor = key;
    await this.#guard(async () => {
      const report = await this.#api.get<TraineeReport>(`/runs/${view.id}/trainee-report`);
      if (this.#reportFor === key) this.#root.replaceChildren(renderTraineeReport(report));
    });
  }

  #renderHints(section: HTMLElement, stepId: string, view: RunView): void {
    const step = view.steps.find((item) => item.id === stepId);
    for (const check of section.querySelectorAll<HTMLElement>('.db-check[data-check]')) {
      const hint = check.querySelector<HTMLElement>('[data-check-hint]');
      const label = check.dataset.check;
      if (!hint || label === undefined) continue;
      const shown = this.#shownHints.has(hintKey(stepId, label));
      hint.hidden = !shown;
      let button = check.querySelector<HTMLButtonElement>('[data-show-hint]');
      if (!button) {
        button = h(
          'button',
          { type: 'button', class: 'db-button db-button-quiet', 'data-show-hint': true },
          'Show hint',
        );
        button.setAttribute('aria-label', `Show hint: ${label}`);
        button.addEventListener('click', () => void this.#revealHint(stepId, label, check));
        hint.before(button);
      }
      const offered = check.dataset.state === 'failed' && view.status === 'active' && step?.status !== 'running';
      button.hidden = shown || !offered;
    }
  }

  async #revealHint(stepId: string, label: string, check: HTMLElement): Promise<void> {
    const runId = this.#view?.id;
    if (!runId) return;
    await this.#guard(async () => {
      await this.#api.post(`/runs/${runId}/steps/${stepId}/hint`, { label });
      this.noteHintShown(stepId, label);
      const hint = check.querySelector<HTMLElement>('[data-check-hint]');
      if (hint) hint.hidden = false;
      check.querySelector<HTMLElement>('[data-show-hint]')?.setAttribute('hidden', '');
    });
  }
}

function hintKey(stepId: string, label: string): string {
  return `${stepId}\n${label}`;
}

// The step to run next: the one running, else the first that is neither done nor skipped.
function findCurrentStep(view: RunView): StepView | null {
  return (
    view.steps.find((step) => step.status === 'running') ?? view.steps.find((step) => !DONE.has(step.status)) ?? null
  );
}

// Where each moved block came from, to put it back when its step is no longer the next one.
const homes = new WeakMap<Element, Comment>();

// Marks the next step and moves what it is for above its controls, so that it reads once and
// first: its <Explain>, else its own prose (else the manifest's explanation, or a word to read the command).
function markCurrent(section: HTMLElement, spec: StepSpec, current: boolean): void {
  section.toggleAttribute('data-training-current', current);
  const aside = section.querySelector<HTMLElement>('[data-explain]');
  const prose = [
    ...section.querySelectorAll<HTMLElement>(
      '.db-block-body > p:not(.db-manual-input), [data-training-brief] > p.db-training-prose',
    ),
  ];
  const moved = aside ? [aside] : prose;
  let brief = section.querySelector<HTMLElement>(':scope > [data-training-brief]');
  if (!current) {
    for (const element of moved) homes.get(element)?.replaceWith(element);
    for (const paragraph of prose) paragraph.classList.remove('db-training-prose');
    brief?.replaceChildren();
    if (brief) brief.hidden = true;
    return;
  }
  if (!brief) {
    brief = h('div', { class: 'db-training-brief', 'data-training-brief': true, role: 'note' });
    section.querySelector(':scope > .db-block-header')?.after(brief);
  }
  brief.hidden = false;
  if (brief.childElementCount > 0) return;
  const title = h('p', { class: 'db-training-brief-title' }, 'Next in your training run: read this before you run it');
  for (const element of moved) {
    const home = document.createComment('moved for training');
    element.before(home);
    homes.set(element, home);
    if (element !== aside) element.classList.add('db-training-prose');
  }
  const explanation = spec.kind === 'command' ? spec.explanation : undefined;
  const fallback = h(
    'p',
    { class: 'db-training-brief-text' },
    explanation ? unwrap(explanation) : 'This step has no explanation: read its command.',
  );
  brief.replaceChildren(title, ...(moved.length > 0 ? moved : [fallback]));
}
// The manifest keeps the source's line breaks; only blank lines separate paragraphs.
function unwrap(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ').trim())
    .join('\n\n');
}
