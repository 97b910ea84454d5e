import { createTwoFilesPatch } from 'diff';
import type { RunbookSpec, RunDrift, RunEventRecord, StepDrift } from '../../protocol/index.ts';

/** A step as a run knew it: from the runbook version saved with the run, or from its journal. */
export interface KnownStep {
  id: string;
  title: string;
  hash: string;
  text: string;
}

// The steps of a run's runbook version: the saved version when there is one, else the steps the
// journal says were started (their hash and script), for runs from before versions were saved.
export function knownStepsOf(saved: RunbookSpec | null, records: readonly RunEventRecord[]): KnownStep[] {
  if (saved)
    return saved.steps.map((step) => ({ id: step.id, title: step.title, hash: step.hash, text: textOf(step) }));
  const steps = new Map<string, KnownStep>();
  for (const { event } of records)
    if (event.type === 'step-started')
      steps.set(event.stepId, { id: event.stepId, title: event.stepId, hash: event.stepHash, text: event.script });
  return [...steps.values()];
}

// What changed in a runbook since a run: each step whose hash differs, with a diff of its script.
export function compareRunbookVersions(
  contentHash: string,
  known: { steps: KnownStep[]; basis: RunDrift['basis'] },
  current: RunbookSpec | undefined,
): RunDrift {
  if (!current) return { runbookChanged: true, basis: known.basis, steps: [] };
  const now = new Map(current.steps.map((step) => [step.id, step]));
  const steps: StepDrift[] = [];
  for (const before of known.steps) {
    const after = now.get(before.id);
    if (after?.hash === before.hash) continue;
    const afterText = after ? textOf(after) : '';
    steps.push({
      id: before.id,
      title: after?.title ?? before.title,
      change: after ? 'changed' : 'removed',
      before: before.hash,
      after: after?.hash ?? null,
      diff: diffOf(before.id, before.text, afterText),
    });
  }
  if (known.basis === 'runbook') {
    const had = new Set(known.steps.map((step) => step.id));
    for (const step of current.steps.filter((item) => !had.has(item.id)))
      steps.push({
        id: step.id,
        title: step.title,
        change: 'added',
        before: null,
        after: step.hash,
        diff: diffOf(step.id, '', textOf(step)),
      });
  }
  return { runbookChanged: contentHash !== current.contentHash, basis: known.basis, steps };
}

function textOf(step: RunbookSpec['steps'][number]): string {
  return step.kind === 'command' ? step.script : step.instruction;
}

function diffOf(id: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(
    `${id} (run's version)`,
    `${id} (now)`,
    ensureNewline(before),
    ensureNewline(after),
    '',
    '',
    { context: 3 },
  );
  return patch.split('\n').slice(2).join('\n');
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
