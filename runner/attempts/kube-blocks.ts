import type { KubeBlock, SecretKeyBlock, WaitForPodsBlock } from '../../protocol/index.ts';
import { formatDuration } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { loadPinnedApi, type PinnedApi } from '../kube/kube-api.ts';
import { readSecretKey } from '../kube/read-secret-key.ts';
import { waitForPods } from '../kube/wait-for-pods.ts';
import { warnIfTooShort } from '../secrets/secret-warnings.ts';
import type { AttemptContext } from './attempt-context.ts';
import type { AttemptRecorder } from './attempt-recorder.ts';
import { resolverOf } from './attempt-results.ts';

// Does a step's Kubernetes-native blocks in order, through the step's own (pinned) kubeconfig,
// once its script succeeded. Returns why the step fails, or null; stops at the first failure.
export async function runKubeBlocks(context: AttemptContext, recorder: AttemptRecorder): Promise<string | null> {
  if (context.step.kube.length === 0) return null;
  let api: PinnedApi;
  try {
    api = loadPinnedApi(context.env.KUBECONFIG);
  } catch (error) {
    return error instanceof RunnerError ? error.message : `the run's kubeconfig cannot be read (${String(error)})`;
  }
  for (const block of context.step.kube) {
    const failure = await runBlock(context, recorder, api, block);
    if (failure) return context.run.masker.mask(failure);
  }
  return null;
}

function runBlock(context: AttemptContext, recorder: AttemptRecorder, api: PinnedApi, block: KubeBlock) {
  return block.kind === 'secret-key'
    ? captureSecretKey(context, recorder, api, block)
    : waitForReadyPods(context, recorder, api, block);
}

async function captureSecretKey(
  context: AttemptContext,
  recorder: AttemptRecorder,
  api: PinnedApi,
  block: SecretKeyBlock,
): Promise<string | null> {
  const resolve = resolverOf(context.values);
  const outcome = await readSecretKey(api, {
    namespace: block.namespace === null ? api.namespace : resolve(block.namespace),
    name: resolve(block.secret),
    key: block.key,
  });
  const { run, step } = context;
  if (outcome.kind === 'failed') {
    await recorder.result({ type: 'capture-failed', stepId: step.id, name: block.name, message: outcome.message });
    return `{{${block.name}}}: ${outcome.message}`;
  }
  run.masker.register(outcome.value);
  const recorded = await recorder.result({
    type: 'captured',
    stepId: step.id,
    name: block.name,
    value: { secret: true },
  });
  if (recorded) {
    run.registerSecret(block.name, outcome.value);
    await warnIfTooShort(recorder, block.name, outcome.value, step.id).catch(() => undefined);
  }
  return null;
}

async function waitForReadyPods(
  context: AttemptContext,
  recorder: AttemptRecorder,
  api: PinnedApi,
  block: WaitForPodsBlock,
): Promise<string | null> {
  const resolve = resolverOf(context.values);
  const namespace = block.namespace === null ? api.namespace : resolve(block.namespace);
  const selector = resolve(block.selector);
  const outcome = await waitForPods(api, {
    namespace,
    selector,
    count: block.count,
    timeoutMs: block.timeoutMs,
    signal: context.signal,
    onProgress: ({ ready, total }) => {
      void context.run
        .record(
          {
            type: 'pods-progress',
            stepId: context.step.id,
            attempt: context.attempt,
            selector,
            namespace,
            ready,
            total,
            expected: block.count,
          },
          { durable: false },
        )
        .catch(() => undefined);
    },
  });
  const pods = `pods ${selector} in ${namespace}`;
  const failure = describeWaitFailure(outcome, pods, block);
  const counted =
    'progress' in outcome ? `${outcome.progress.ready}/${block.count ?? outcome.progress.total} Ready` : '';
  await recorder.result({
    type: 'check-result',
    stepId: context.step.id,
    attempt: context.attempt,
    label: `${pods} Ready`,
    passed: failure === null,
    detail: failure ?? counted,
    node: null,
  });
  return failure;
}

function describeWaitFailure(
  outcome: Awaited<ReturnType<typeof waitForPods>>,
  pods: string,
  block: WaitForPodsBlock,
): string | null {
  switch (outcome.kind) {
    case 'ready':
      return null;
    case 'failed':
      return outcome.message;
    case 'canceled':
      return `canceled while waiting for ${pods}`;
    case 'timed-out': {
      const { ready, total } = outcome.progress;
      return `waited ${formatDuration(block.timeoutMs)} for ${pods}: ${ready}/${block.count ?? total} Ready`;
    }
  }
}
