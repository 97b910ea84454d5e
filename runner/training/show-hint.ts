import { RunnerError } from '../errors.ts';
import type { RunService } from '../runs/run-service.ts';

// Training mode: hands a trainee the author's hint for a check that failed in the step's latest
// attempt, and records that it was shown (the trainee report counts hints used).
export async function showHint(service: RunService, runId: string, stepId: string, label: string): Promise<string> {
  const runtime = service.get(runId);
  const { state } = runtime;
  if (state.mode !== 'training') throw new RunnerError('BAD_REQUEST', 'hints are offered in training runs only');
  if (state.status !== 'active') throw new RunnerError('RUN_ENDED', `the run is ${state.status}`);
  const step = service.manifest.step(state.runbook.slug, stepId);
  const check = step.kind === 'command' ? step.checks.find((item) => item.label === label) : undefined;
  if (!check?.hint) throw new RunnerError('NOT_FOUND', `step "${stepId}" has no check "${label}" with a hint`);
  const current = state.steps.get(stepId);
  const failed = current?.checks.some((result) => result.label === label && !result.passed) ?? false;
  if (!current || current.attempt === 0 || !failed)
    throw new RunnerError('BAD_REQUEST', `the check "${label}" has not failed in this step's latest attempt`);
  if (runtime.running?.stepId === stepId) throw new RunnerError('STEP_BUSY', `step "${stepId}" is running`);
  await runtime.record({ type: 'hint-shown', stepId, attempt: current.attempt, label });
  return check.hint;
}
