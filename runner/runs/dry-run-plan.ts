import type { DisplayValue, DryRunPlan, RunbookSpec, StepSpec } from '../../protocol/index.ts';
import { listStepCaptures, renderCommandForDisplay } from '../../protocol/index.ts';
import { findVariable } from '../manifest/runbook-variables.ts';
import type { RunRuntime } from './run-runtime.ts';

// Which step captures each variable: values that only a live run can know.
export function findCapturingSteps(runbook: RunbookSpec): Map<string, StepSpec> {
  const capturedBy = new Map<string, StepSpec>();
  for (const step of runbook.steps) {
    if (step.kind !== 'command') continue;
    for (const capture of listStepCaptures(step)) if (!capturedBy.has(capture.name)) capturedBy.set(capture.name, step);
  }
  return capturedBy;
}

// How a run's values read on the page and in exports: secrets masked, unknown values left as {{name}}.
export function lookupDisplayValue(runtime: RunRuntime, runbook: RunbookSpec): (name: string) => DisplayValue {
  return (name) => {
    const value = runtime.value(name);
    const secret = Boolean(runtime.state.values.get(name)?.secret ?? findVariable(runbook, name)?.secret);
    return value === undefined ? { known: false, secret } : { known: true, secret, value };
  };
}

// A dry run's view of the runbook: every step rendered with what is known, nothing executed.
export function planDryRun(runtime: RunRuntime, runbook: RunbookSpec): DryRunPlan {
  const capturedBy = findCapturingSteps(runbook);
  const lookup = lookupDisplayValue(runtime, runbook);
  return {
    runId: runtime.id,
    steps: runbook.steps.map((step) => {
      const unknown = runtime.missing([...new Set(step.references)]);
      const command = step.kind === 'command';
      return {
        id: step.id,
        title: step.title,
        kind: step.kind,
        risk: command ? step.risk : null,
        runsOn: command ? step.runsOn : null,
        command: command ? renderCommandForDisplay(step.script, lookup) : null,
        liveOnly: unknown.filter((name) => capturedBy.has(name)),
        missing: unknown.filter((name) => !capturedBy.has(name)),
      };
    }),
  };
}
