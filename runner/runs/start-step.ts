import { isFanOut } from '../../protocol/index.ts';
import { runStepAttempt } from '../attempts/step-attempt.ts';
import { RunnerError } from '../errors.ts';
import { listFanOutNodes } from '../execution/fan-out-nodes.ts';
import { renderArgv } from '../execution/render-argv.ts';
import { renderScript } from '../execution/render-script.ts';
import { resolveStepTarget } from '../execution/resolve-target.ts';
import { selectPod } from '../execution/select-pod.ts';
import { warnIfStepChanged } from '../history/step-drift-warning.ts';
import { guardStepTarget } from '../kube/step-guard.ts';
import { findVariable } from '../manifest/runbook-variables.ts';
import { assertPreflightAllows } from '../preflight/preflight-gate.ts';
import { launchAttempt } from './launch-attempt.ts';
import type { RunRuntime } from './run-runtime.ts';
import type { RunServiceOptions } from './run-service.ts';

// Validates a Run request and starts the attempt. Everything up to claiming the run happens
// before the first await, so two requests cannot both find the run idle; the values are read
// once here and the attempt works with this snapshot alone.
export async function startStep(
  runtime: RunRuntime,
  options: RunServiceOptions,
  request: { stepId: string; stepHash: string; confirmCluster: string | undefined; pod?: string | undefined },
): Promise<{ attempt: number }> {
  const { stepId, stepHash } = request;
  const authored = options.manifest.commandStep(runtime.state.runbook.slug, stepId);
  if (runtime.state.mode === 'dry-run') {
    throw new RunnerError('DRY_RUN', "this is a dry run: nothing runs; read each step's command or export the script");
  }
  if (authored.hash !== stepHash) {
    throw new RunnerError('STEP_HASH_MISMATCH', `step "${stepId}" changed since the page was loaded; reload the page`);
  }
  if (runtime.running) {
    throw new RunnerError('STEP_BUSY', `step "${runtime.running.stepId}" is still running in this run`);
  }
  const executor = options.executors.find((candidate) => candidate.target === authored.target.kind);
  if (!executor) {
    throw new RunnerError('BAD_REQUEST', `this runner cannot run steps on target "${authored.target.kind}" yet`);
  }
  assertPreflightAllows(runtime, stepId);
  const missing = runtime.missing(authored.references);
  if (missing.length > 0) {
    throw new RunnerError(
      'MISSING_VALUES',
      `step "${stepId}" needs ${missing.map((name) => `{{${name}}}`).join(', ')}`,
      {
        details: { missing },
      },
    );
  }
  const values = new Map(authored.references.map((name) => [name, runtime.value(name) as string]));
  const step = { ...authored, target: resolveStepTarget(authored.target, values, stepId) };
  const runbook = options.manifest.runbook(runtime.state.runbook.slug);
  const mayStartWithDash = new Set(step.references.filter((name) => findVariable(runbook, name)?.mayStartWithDash));
  const argv = step.argv ? renderArgv(step.argv, values, { stepId, mayStartWithDash }) : undefined;
  const attempt = (runtime.state.steps.get(stepId)?.attempt ?? 0) + 1;
  const { store } = options;
  const runId = runtime.id;
  const kubeconfig = store.pathsOf(runId).kubeconfig;
  await launchAttempt(
    runtime,
    stepId,
    async (signal, onStarted) => {
      await warnIfStepChanged(runtime, store, step, runbook);
      await guardStepTarget(options.contexts, {
        pinned: runtime.state.target,
        mode: runtime.state.mode,
        step,
        confirmCluster: request.confirmCluster,
        kubeconfigFile: kubeconfig,
      }).catch((error: unknown) => recordRefusal(runtime, stepId, error));
      const rendered = await renderScript(step.script, values, { stepId, mayStartWithDash });
      const nodes = isFanOut(step.target) ? await listFanOutNodes(step.target, kubeconfig, stepId) : null;
      const target =
        step.target.kind === 'pod'
          ? await selectPod(step.target, kubeconfig, { stepId, chosen: request.pod })
          : step.target;
      await runStepAttempt({
        run: runtime,
        step: { ...step, target },
        attempt,
        values,
        rendered,
        ...(argv ? { argv } : {}),
        nodes,
        executor,
        workdir: runtime.state.workdir,
        env: {
          ...withoutClusterOverrides(options.env),
          KUBECONFIG: kubeconfig,
          DRILLBOOK_RUN_ID: runId,
          DRILLBOOK_STEP_ID: step.id,
        },
        logs: { dir: store.pathsOf(runId).logDir, open: (fileName) => store.openStepLog(runId, fileName) },
        limits: options.limits,
        graceMs: options.graceMs,
        signal,
        onStarted,
      });
    },
    (error) => options.log(`step ${stepId} of run ${runId} failed inside the runner`, error),
  );
  return { attempt };
}

// Variables that would point kubectl or helm somewhere other than the run's kubeconfig.
function withoutClusterOverrides(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^HELM_KUBE/.test(name)));
}

// A step refused for where it would run is part of the record; then the refusal goes to the operator.
async function recordRefusal(runtime: RunRuntime, stepId: string, error: unknown): Promise<never> {
  if (error instanceof RunnerError && (error.code === 'TARGET_CHANGED' || error.code === 'PRODUCTION_REFUSED')) {
    await runtime.record({ type: 'warning', stepId, name: null, message: `refused to run: ${error.message}` });
  }
  throw error;
}
