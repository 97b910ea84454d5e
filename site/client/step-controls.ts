import { formatDuration } from '../../protocol/format-duration.ts';
import type { RunView, StepView } from '../../protocol/index.ts';
import { h } from './dom.ts';
import { describeMissing, type PendingChoices } from './missing-values.ts';
import { describeBlocked } from './preflight-view.ts';

const STATUS_TEXT: Record<StepView['status'], string> = {
  pending: 'Not run yet',
  running: 'Running…',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'timed-out': 'Timed out',
  canceled: 'Canceled',
  interrupted: 'Interrupted by a runner restart',
  skipped: 'Skipped',
  acknowledged: 'Done',
};

export interface StepHandlers extends PendingChoices {
  choose: (name: string, index: number) => void;
}

function describeStep(step: StepView): string {
  const parts = [STATUS_TEXT[step.status]];
  if (step.exitCode !== null && step.status !== 'running') parts.push(`exit ${step.exitCode}`);
  if (step.durationMs !== null && step.status !== 'running') parts.push(formatDuration(step.durationMs));
  if (step.message && step.status !== 'succeeded') parts.push(step.message);
  return parts.join(' · ');
}

// Brings one step's controls in line with the run: status, buttons, missing values, checks, choices.
export function renderStep(section: HTMLElement, step: StepView, view: RunView, handlers: StepHandlers): void {
  section.dataset.outcome = step.status;
  const status = section.querySelector<HTMLElement>('[data-status]');
  const text = describeStep(step);
  if (status && status.textContent !== text) status.textContent = text;
  const active = view.status === 'active';
  const busy = view.runningStep !== null;
  const running = step.status === 'running';
  const run = section.querySelector<HTMLButtonElement>('[data-action="run"]');
  if (run) {
    run.textContent = step.attempt > 0 ? 'Re-run' : 'Run';
    run.disabled = !active || busy || step.missing.length > 0 || step.blockedBy.length > 0;
  }
  const cancel = section.querySelector<HTMLButtonElement>('[data-action="cancel"]');
  if (cancel) cancel.hidden = !running;
  const skip = section.querySelector<HTMLButtonElement>('[data-action="skip"]');
  if (skip) skip.disabled = !active || running;
  const missing = section.querySelector<HTMLElement>('[data-missing]');
  if (missing) {
    missing.hidden = step.missing.length === 0 && step.blockedBy.length === 0;
    missing.textContent =
      step.blockedBy.length > 0 ? describeBlocked(view, step.blockedBy) : describeMissing(view, step, handlers);
  }
  for (const check of section.querySelectorAll<HTMLElement>('.db-check[data-check]')) {
    const result = step.checks.find((item) => item.label === check.dataset.check);
    check.dataset.state = result ? (result.passed ? 'passed' : 'failed') : 'pending';
    const label = check.querySelector<HTMLElement>('.db-check-status');
    const failed = check.dataset.advisory === undefined ? 'Failed' : 'Failed, advisory only';
    if (label) label.textContent = result ? `${result.passed ? 'Passed' : failed} (${result.detail})` : '';
  }
  showInterruptedLog(section, step);
  renderChoices(section, view, step.id, handlers);
}

// A step cut short by a stop of the runner has no truncation notice; its log is still on disk.
function showInterruptedLog(section: HTMLElement, step: StepView): void {
  const note = section.querySelector<HTMLElement>('[data-truncated]');
  if (!note || step.status !== 'interrupted' || !step.logFile || note.dataset.logFile) return;
  note.hidden = false;
  note.dataset.logFile = step.logFile;
  const text = note.querySelector('[data-truncated-text]');
  if (text) text.textContent = 'The runner stopped while this step ran. Its output up to then is in the full log.';
  section.querySelector<HTMLElement>('[data-output-wrap]')?.removeAttribute('hidden');
}

function renderChoices(section: HTMLElement, view: RunView, stepId: string, handlers: StepHandlers): void {
  const box = section.querySelector<HTMLElement>('[data-choices]');
  if (!box) return;
  const choices = view.choices.filter((choice) => choice.stepId === stepId);
  box.hidden = choices.length === 0;
  const signature = JSON.stringify(choices);
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  box.replaceChildren(
    ...choices.map((choice) =>
      h(
        'fieldset',
        { class: 'db-choice' },
        h('legend', {}, `Several values match {{${choice.name}}}. Which one do you mean?`),
        ...choice.candidates.map((candidate, index) => {
          const button = h('button', { type: 'button', class: 'db-button', 'data-candidate': candidate }, candidate);
          button.addEventListener('click', () => handlers.choose(choice.name, index));
          return button;
        }),
      ),
    ),
  );
}

export function renderManual(form: HTMLElement, step: StepView, view: RunView): void {
  form.closest<HTMLElement>('.db-block')?.setAttribute('data-outcome', step.status);
  const status = form.querySelector<HTMLElement>('[data-status]');
  if (status)
    status.textContent =
      step.status === 'acknowledged' ? 'Done' : step.status === 'skipped' ? 'Skipped' : 'Not done yet';
  const button = form.querySelector<HTMLButtonElement>('[data-action="acknowledge"]');
  if (button) button.disabled = view.status !== 'active' || step.status === 'acknowledged';
}
