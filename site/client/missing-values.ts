import type { RunbookSpec, RunView, StepView } from '../../protocol/index.ts';

/** What the page knows beyond the run: the runbook, and the step whose "which pod?" dialog is open. */
export interface PendingChoices {
  runbook: RunbookSpec;
  choosingPodIn: string | null;
}

// Says what a step's missing values wait for: a choice the operator has open (of a candidate or of
// a pod) is named as such, so nobody runs again a step that only waits for an answer.
export function describeMissing(view: RunView, step: StepView, pending: PendingChoices): string {
  const parts: string[] = [];
  const plain: string[] = [];
  const podWaits = new Map<string, string[]>();
  for (const name of step.missing) {
    const choice = view.choices.find((item) => item.name === name);
    const capturer = capturingStep(pending.runbook, name);
    if (choice) parts.push(`Waiting for your choice of {{${name}}} in ${stepLabel(pending.runbook, choice.stepId)}.`);
    else if (capturer !== undefined && capturer === pending.choosingPodIn)
      podWaits.set(capturer, [...(podWaits.get(capturer) ?? []), `{{${name}}}`]);
    else plain.push(`{{${name}}}`);
  }
  for (const [stepId, names] of podWaits)
    parts.unshift(
      `Waiting for your choice of pod in ${stepLabel(pending.runbook, stepId)}, which captures ${names.join(', ')}.`,
    );
  if (plain.length > 0)
    parts.push(
      plain.length === 1
        ? `Waiting for ${plain[0]}: run the step that captures it, or override it.`
        : `Waiting for ${plain.join(', ')}: run the steps that capture them, or override them.`,
    );
  return parts.join(' ');
}

function capturingStep(runbook: RunbookSpec, name: string): string | undefined {
  return runbook.steps.find(
    (spec) =>
      (spec.kind === 'command' && spec.captures.some((capture) => capture.name === name)) ||
      (spec.kind === 'manual' && spec.input?.name === name),
  )?.id;
}

function stepLabel(runbook: RunbookSpec, stepId: string): string {
  const index = runbook.steps.findIndex((spec) => spec.id === stepId);
  return index < 0 ? `step "${stepId}"` : `step ${index + 1} (${runbook.steps[index]?.title})`;
}
