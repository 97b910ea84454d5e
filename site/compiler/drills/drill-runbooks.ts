import { type DrillFile, listStepCaptures, type Manifest } from '../../../protocol/index.ts';
import { suggest } from '../zod-issues.ts';

export interface DrillProblem {
  path: PropertyKey[];
  message: string;
  hint: string;
}

// A drill must name runbooks that exist, restore steps they have, and answers they ask for.
export function lintDrillRunbooks(drill: DrillFile, manifest: Pick<Manifest, 'runbooks'>): DrillProblem[] {
  const problems: DrillProblem[] = [];
  const slugs = manifest.runbooks.map((runbook) => runbook.slug);
  drill.runbooks.forEach((entry, index) => {
    const runbook = manifest.runbooks.find((item) => item.slug === entry.slug);
    if (!runbook) {
      problems.push({
        path: ['runbooks', index, 'slug'],
        message: `no runbook "${entry.slug}"`,
        hint: suggest(entry.slug, slugs) ?? 'use the file name of a runbook in content/runbooks/, without .mdx',
      });
      return;
    }
    const stepIds = runbook.steps.map((step) => step.id);
    entry.restoreSteps.forEach((stepId, stepIndex) => {
      if (!stepIds.includes(stepId))
        problems.push({
          path: ['runbooks', index, 'restoreSteps', stepIndex],
          message: `runbook "${runbook.slug}" has no step "${stepId}"`,
          hint: suggest(stepId, stepIds) ?? `its steps: ${stepIds.join(', ')}`,
        });
    });
    const manualInputs = runbook.steps.flatMap((step) =>
      step.kind === 'manual' && step.input ? [step.input.name] : [],
    );
    const params = [...runbook.params.map((param) => param.name), ...manualInputs];
    for (const name of Object.keys(entry.answers.params)) {
      if (!params.includes(name))
        problems.push({
          path: ['runbooks', index, 'answers', 'params', name],
          message: `runbook "${runbook.slug}" has no param "${name}"`,
          hint: suggest(name, params) ?? `its params: ${params.join(', ') || 'none'}`,
        });
    }
    const captures = runbook.steps.flatMap((step) =>
      step.kind === 'command' ? listStepCaptures(step).map((capture) => capture.name) : [],
    );
    for (const name of Object.keys(entry.answers.choose)) {
      if (!captures.includes(name))
        problems.push({
          path: ['runbooks', index, 'answers', 'choose', name],
          message: `runbook "${runbook.slug}" captures no {{${name}}}`,
          hint: suggest(name, captures) ?? 'choose names a capture whose candidates the operator picks',
        });
    }
    for (const stepId of Object.keys(entry.answers.skip)) {
      const wrong = !stepIds.includes(stepId)
        ? {
            message: `runbook "${runbook.slug}" has no step "${stepId}"`,
            hint: suggest(stepId, stepIds) ?? `its steps: ${stepIds.join(', ')}`,
          }
        : entry.restoreSteps.includes(stepId)
          ? {
              message: `the reference answers skip the restore step "${stepId}"`,
              hint: 'a drill is solved by its restore steps: run them',
            }
          : null;
      if (wrong) problems.push({ path: ['runbooks', index, 'answers', 'skip', stepId], ...wrong });
    }
    const manualSteps = runbook.steps.flatMap((step) => (step.kind === 'manual' ? [step.id] : []));
    for (const stepId of Object.keys(entry.answers.ack)) {
      if (!manualSteps.includes(stepId))
        problems.push({
          path: ['runbooks', index, 'answers', 'ack', stepId],
          message: `runbook "${runbook.slug}" has no manual step "${stepId}"`,
          hint: suggest(stepId, manualSteps) ?? `its manual steps: ${manualSteps.join(', ') || 'none'}`,
        });
    }
  });
  return problems;
}
