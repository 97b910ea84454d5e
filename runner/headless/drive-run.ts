import type { CommandStepSpec, ManualStepSpec, RunbookSpec } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';
import type { RunService } from '../runs/run-service.ts';
import type { DrillRunOptions } from './drill-args.ts';
import { DrillError } from './drill-error.ts';

const DONE = new Set(['succeeded', 'skipped', 'acknowledged']);

// Runs every step of the run in order, as an operator clicking down the page would: manual steps
// take their answers from the command line, operator-picked captures their --choose, destructive
// steps need --yes, --skip skips with a reason. Steps already done (a resumed run) are passed by.
// Stops at the first step that does not succeed, saying which and why.
export async function driveRun(
  service: RunService,
  runtime: RunRuntime,
  runbook: RunbookSpec,
  options: Pick<DrillRunOptions, 'acks' | 'choices' | 'yes' | 'skips'>,
  manualValues: Map<string, string>,
): Promise<void> {
  const steps = new Set(runbook.steps.map((step) => step.id));
  const unknown = [...options.skips.keys(), ...options.acks.keys()].filter((id) => !steps.has(id));
  if (unknown.length > 0) throw new DrillError('USAGE', `no step "${unknown.join('", "')}" in ${runbook.slug}`);
  for (const step of runbook.steps) {
    if (DONE.has(runtime.state.steps.get(step.id)?.status ?? 'pending')) continue;
    const skipReason = options.skips.get(step.id);
    if (skipReason !== undefined) await refusedAs(step.id, () => service.skip(runtime.id, step.id, skipReason));
    else if (step.kind === 'manual') await acknowledgeStep(service, runtime, step, options.acks, manualValues);
    else {
      await runCommandStep(service, runtime, step, { yes: options.yes, pod: options.choices.get(step.id) });
      await chooseCandidates(service, runtime, step, options.choices);
    }
  }
}

async function acknowledgeStep(
  service: RunService,
  runtime: RunRuntime,
  step: ManualStepSpec,
  acks: Map<string, string | null>,
  manualValues: Map<string, string>,
): Promise<void> {
  const answer = acks.has(step.id) ? acks.get(step.id) : step.input ? manualValues.get(step.input.name) : undefined;
  if (answer === undefined || (step.input && answer === null)) {
    const wanted = step.input
      ? `--ack ${step.id}=VALUE or --param ${step.input.name}=VALUE (${step.input.label})`
      : `--ack ${step.id} once it is done`;
    throw new DrillError('NEEDS_ANSWER', `step "${step.id}" (${step.title}) is done by hand: pass ${wanted}`);
  }
  if (!step.input && answer !== null)
    throw new DrillError('USAGE', `step "${step.id}" takes no value: --ack ${step.id}`);
  await refusedAs(step.id, () => service.acknowledge(runtime.id, step.id, answer ?? undefined));
}

async function runCommandStep(
  service: RunService,
  runtime: RunRuntime,
  step: CommandStepSpec,
  options: { yes: boolean; pod: string | undefined },
) {
  if (step.risk === 'destructive' && !options.yes)
    throw new DrillError('NEEDS_YES', `step "${step.id}" (${step.title}) is destructive: pass --yes to run it`);
  await refusedAs(step.id, () => service.runStep(runtime.id, step.id, step.hash, undefined, undefined, options.pod));
  await runtime.running?.done;
  const state = runtime.state.steps.get(step.id);
  if (state?.status === 'succeeded') return;
  const failedChecks = (state?.checks ?? []).filter((check) => !check.passed).map((check) => check.label);
  const why = [
    state?.message ?? state?.status ?? 'it did not finish',
    ...(failedChecks.length > 0 ? [`failed checks: ${failedChecks.join('; ')}`] : []),
  ];
  throw new DrillError(
    'STEP_FAILED',
    `step "${step.id}" (${step.title}) ${state?.status ?? 'failed'}: ${why.join('; ')}`,
  );
}

async function chooseCandidates(
  service: RunService,
  runtime: RunRuntime,
  step: CommandStepSpec,
  choices: Map<string, string>,
): Promise<void> {
  for (const capture of step.captures) {
    const choice = runtime.state.choices.get(capture.name);
    if (!choice || choice.stepId !== step.id || runtime.isKnown(capture.name)) continue;
    const listed = choice.candidates.map((candidate) => `  ${candidate}`).join('\n');
    const wanted = choices.get(capture.name);
    if (wanted === undefined)
      throw new DrillError(
        'NEEDS_CHOICE',
        `step "${step.id}" found several candidates for {{${capture.name}}}: pass --choose ${capture.name}=VALUE, one of\n${listed}`,
      );
    const index = choice.secret
      ? (runtime.secretCandidates.get(capture.name) ?? []).indexOf(wanted)
      : choice.candidates.indexOf(wanted);
    if (index === -1)
      throw new DrillError(
        'NEEDS_CHOICE',
        `--choose ${capture.name}: not a candidate; step "${step.id}" found\n${listed}`,
      );
    await refusedAs(step.id, () => service.choose(runtime.id, capture.name, index));
  }
}

async function refusedAs<T>(stepId: string, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    if (!(error instanceof RunnerError)) throw error;
    const missing = error.details?.missing;
    const items = error.code === 'PREFLIGHT_FAILED' ? error.details?.items : undefined;
    const detail = Array.isArray(missing)
      ? ` (missing: ${missing.join(', ')})`
      : Array.isArray(items)
        ? ` (to run on anyway: ${items.map((item) => `--override ${item}=REASON`).join(' ')})`
        : error.code === 'CHOOSE_POD'
          ? ` (pass --choose ${stepId}=POD)`
          : '';
    throw new DrillError('REFUSED', `step "${stepId}": the runner refused (${error.code}): ${error.message}${detail}`);
  }
}
