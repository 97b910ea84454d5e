import type { CreateRunBody, RecordedValue } from '../../protocol/index.ts';
import { CreateRunBodySchema } from '../../protocol/index.ts';
import { storageError } from '../errors.ts';
import type { StepExecutor } from '../execution/step-executor.ts';
import { renderEmptyKubeconfig, renderPinnedKubeconfig, writeKubeconfigFile } from '../kube/pinned-kubeconfig.ts';
import { trainingRefusal } from '../kube/step-guard.ts';
import { resolveParams } from '../manifest/runbook-variables.ts';
import { runPreflight } from '../preflight/run-preflight.ts';
import { warnIfTooShort } from '../secrets/secret-warnings.ts';
import { RunRuntime } from './run-runtime.ts';
import type { RunServiceOptions } from './run-service.ts';

// A new run from a create-run body: params checked, folder and journal made, secrets known,
// kubeconfig pinned and preflight run. `adopt` hands the run to the service as soon as it is on
// record, before the preflight.
export async function createRun(
  options: RunServiceOptions,
  runId: string,
  body: CreateRunBody,
  service: { adopt: (runtime: RunRuntime) => void; nodeExecutor: StepExecutor | undefined },
): Promise<RunRuntime> {
  const input = CreateRunBodySchema.parse(body);
  const runbook = options.manifest.runbook(input.runbook);
  const values = resolveParams(runbook, input.params);
  const pinned = input.context === undefined ? null : options.contexts.resolve(input.context);
  const target = pinned?.target ?? null;
  if (target?.environment === 'production' && input.mode === 'training') throw trainingRefusal(target.context);
  const paths = await options.store.createRun(runId, runbook);
  const params: Record<string, RecordedValue> = {};
  for (const param of runbook.params) {
    const value = values.get(param.name);
    if (value === undefined) continue;
    params[param.name] = param.secret ? { secret: true } : { secret: false, value };
  }
  const runtime = await RunRuntime.create(
    options.store,
    runId,
    {
      type: 'run-created',
      runbook: { slug: runbook.slug, title: runbook.meta.title, contentHash: runbook.contentHash },
      mode: input.mode,
      operator: input.operator,
      params,
      workdir: paths.workdir,
      target,
    },
    new Date().toISOString(),
  );
  service.adopt(runtime);
  for (const param of runbook.params) {
    const value = values.get(param.name);
    if (!param.secret || value === undefined) continue;
    runtime.registerSecret(param.name, value);
    await warnIfTooShort(runtime, param.name, value);
  }
  await writeKubeconfigFile(
    paths.kubeconfig,
    pinned ? renderPinnedKubeconfig(pinned.resolved) : renderEmptyKubeconfig(),
  ).catch((error: unknown) => {
    throw storageError("the run's kubeconfig", error);
  });
  await runPreflight(runtime, runbook, {
    env: options.env,
    kubeconfigFile: paths.kubeconfig,
    nodeExecutor: service.nodeExecutor,
  });
  return runtime;
}
