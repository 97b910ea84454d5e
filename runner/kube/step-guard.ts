import type { CommandStepSpec, KubeTarget, RunMode, TargetChange } from '../../protocol/index.ts';
import { RunnerError, storageError } from '../errors.ts';
import type { KubeContexts, ResolvedTarget } from './kube-contexts.ts';
import { renderPinnedKubeconfig, writeKubeconfigFile } from './pinned-kubeconfig.ts';

export interface StepGuardInput {
  /** What the run is pinned to; null for a run pinned to no cluster. */
  pinned: KubeTarget | null;
  mode: RunMode;
  /** Null when no step is about to run (a preflight run again). */
  step: CommandStepSpec | null;
  /** The cluster's name as the operator typed it. */
  confirmCluster: string | undefined;
  /** The run's own kubeconfig file, rewritten before each step. */
  kubeconfigFile: string;
}

// Before every step: the pinned context must still resolve to the same server, CA and user;
// training never touches production; a destructive step on production needs the cluster's name
// typed. Then the run's kubeconfig is written afresh from the operator's (credentials that were
// refreshed meanwhile come along; the cluster cannot change).
export async function guardStepTarget(contexts: KubeContexts, input: StepGuardInput): Promise<void> {
  const { pinned, step } = input;
  // A run pinned to no cluster keeps the empty kubeconfig written when it was created.
  if (pinned === null) return;
  const now = resolveNow(contexts, pinned);
  const changes = compareTargets(pinned, now?.target ?? null);
  if (!now || changes.length > 0) {
    throw new RunnerError(
      'TARGET_CHANGED',
      `the run is pinned to context "${pinned.context}", which has changed since: ${describeChanges(changes)}. ` +
        'Nothing ran. Restore the kubeconfig, or start a new run against the cluster you mean.',
      { details: { context: pinned.context, changes } },
    );
  }
  const environment = now.target.environment ?? pinned.environment;
  const production = environment === 'production' || pinned.environment === 'production';
  if (production && input.mode === 'training') throw trainingRefusal(pinned.context);
  if (production && step?.risk === 'destructive' && input.confirmCluster !== pinned.cluster) {
    throw new RunnerError(
      'CONFIRMATION_REQUIRED',
      `step "${step?.id}" is destructive and runs on production: type the cluster's name, ${pinned.cluster}, to run it`,
      { details: { cluster: pinned.cluster, typed: input.confirmCluster ?? null } },
    );
  }
  try {
    await writeKubeconfigFile(input.kubeconfigFile, renderPinnedKubeconfig(now.resolved));
  } catch (error) {
    throw storageError("the run's kubeconfig", error);
  }
}

// Training mode refuses a production context, at run start and before every step.
export function trainingRefusal(context: string): RunnerError {
  return new RunnerError(
    'PRODUCTION_REFUSED',
    `training mode refuses context "${context}": it is labelled production. Train on staging or the practice cluster.`,
    { details: { context } },
  );
}

// What differs between the pinned target and the context now; a context gone is a change of context.
export function compareTargets(pinned: KubeTarget, now: KubeTarget | null): TargetChange[] {
  if (now === null) return [{ field: 'context', pinned: pinned.context, now: null }];
  const fields = ['server', 'caSha256', 'user'] as const;
  return fields
    .filter((field) => pinned[field] !== now[field])
    .map((field) => ({ field, pinned: pinned[field], now: now[field] }));
}

function resolveNow(contexts: KubeContexts, pinned: KubeTarget): ResolvedTarget | null {
  try {
    return contexts.resolve(pinned.context);
  } catch (error) {
    if (error instanceof RunnerError && error.code === 'CONTEXT_INVALID') return null;
    throw error;
  }
}

const FIELD_NAMES: Record<TargetChange['field'], string> = {
  context: 'the context',
  server: 'the server',
  caSha256: 'the CA certificate (sha256)',
  user: 'the user',
};

function describeChanges(changes: TargetChange[]): string {
  return changes
    .map((change) =>
      change.now === null && change.field === 'context'
        ? `the context is gone or cannot be resolved`
        : `${FIELD_NAMES[change.field]} was ${change.pinned ?? 'none'}, now ${change.now ?? 'none'}`,
    )
    .join('; ');
}
