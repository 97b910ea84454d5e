import { RunnerError } from '../errors.ts';
import type { KubeContexts } from '../kube/kube-contexts.ts';
import { PRACTICE_CONTEXT } from './reference-run.ts';

// A drill breaks a cluster on purpose: the context its runs are pinned to must reach the runner's
// own practice cluster. An operator's kubeconfig entry of the same name pointing elsewhere wins
// over the practice one when runs resolve it, so such an entry refuses the drill.
export function assertPracticeTarget(contexts: KubeContexts, options: { mustExist?: boolean } = {}): void {
  const found = contexts.list().contexts.find((context) => context.context === PRACTICE_CONTEXT);
  if (!found) {
    if (!options.mustExist) return;
    throw new RunnerError('CONTEXT_INVALID', `the kube context "${PRACTICE_CONTEXT}" is not there after the reset`);
  }
  if (found.environment !== 'practice')
    throw new RunnerError(
      'CONTEXT_INVALID',
      `the kube context "${PRACTICE_CONTEXT}" reaches ${found.server}, not this runner's practice cluster: drills run only there`,
      { details: { context: PRACTICE_CONTEXT, server: found.server } },
    );
}
