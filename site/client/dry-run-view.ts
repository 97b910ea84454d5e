import type { DryRunPlan, DryRunStep } from '../../protocol/index.ts';
import { h } from './dom.ts';

// In a dry run a step shows what it would run, with the values known so far, instead of a Run
// button; steps that need a value only a live run captures say so.
export function renderDryRunStep(section: HTMLElement, step: DryRunStep): void {
  for (const action of ['run', 'cancel'])
    section.querySelector<HTMLElement>(`[data-action="${action}"]`)?.setAttribute('hidden', '');
  const status = section.querySelector<HTMLElement>('[data-status]');
  if (status && section.dataset.outcome !== 'skipped') status.textContent = 'Dry run: not executed';
  section.querySelector<HTMLElement>('[data-missing]')?.setAttribute('hidden', '');
  let box = section.querySelector<HTMLElement>('[data-dry-run]');
  if (!box) {
    box = h('div', { class: 'db-dry-run', 'data-dry-run': true });
    section.querySelector('[data-step-controls]')?.append(box);
  }
  const signature = JSON.stringify(step);
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  const parts = [
    h('p', { class: 'db-dry-run-label' }, 'Would run:'),
    h('pre', { class: 'db-dry-run-command', 'data-dry-run-command': true }, step.command ?? ''),
    step.liveOnly.length > 0
      ? h(
          'p',
          { class: 'db-dry-run-needs', 'data-live-only': step.liveOnly.join(' ') },
          `Needs ${names(step.liveOnly)}, which only a live run captures. Override it in Values to fill it in.`,
        )
      : null,
    step.missing.length > 0
      ? h(
          'p',
          { class: 'db-dry-run-needs', 'data-dry-missing': step.missing.join(' ') },
          `Not known yet: ${names(step.missing)}.`,
        )
      : null,
  ];
  box.replaceChildren(...parts.filter((part) => part !== null));
}

export function renderDryRun(plan: DryRunPlan): void {
  for (const step of plan.steps) {
    const section = document.getElementById(`step-${step.id}`);
    if (section && step.kind === 'command') renderDryRunStep(section, step);
  }
}

function names(list: string[]): string {
  return list.map((name) => `{{${name}}}`).join(', ');
}
