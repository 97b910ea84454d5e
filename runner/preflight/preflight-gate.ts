import { RunnerError } from '../errors.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';

// The preflight items that stop a step: failed, not overridden, and concerning it.
export function blockingItems(runtime: RunRuntime, stepId: string) {
  return [...runtime.state.preflight.values()].filter(
    (item) => !item.passed && item.overriddenBecause === null && item.steps.includes(stepId),
  );
}

// Refuses a step a failed preflight item concerns, saying how to fix it or that it may be overridden.
export function assertPreflightAllows(runtime: RunRuntime, stepId: string): void {
  const blocking = blockingItems(runtime, stepId);
  if (blocking.length === 0) return;
  const reasons = blocking.map((item) => `${item.label}: ${item.detail}${item.fix ? ` (${item.fix})` : ''}`);
  throw new RunnerError(
    'PREFLIGHT_FAILED',
    `step "${stepId}" is blocked by preflight: ${reasons.join('; ')}. Fix it and check again, or override it with a reason.`,
    { details: { items: blocking.map((item) => item.id) } },
  );
}
