import type { V1Job, V1JobCondition } from '@kubernetes/client-node';
import { formatTimestamp } from '../runtime/clock.ts';

export type JobOutcome =
  | { type: 'Complete' }
  | { type: 'Failed'; reason: 'BackoffLimitExceeded' | 'DeadlineExceeded'; message: string };

export function finishedOutcome(job: V1Job): 'Complete' | 'Failed' | undefined {
  const finished = job.status?.conditions?.find(
    (condition) => (condition.type === 'Complete' || condition.type === 'Failed') && condition.status === 'True',
  );
  return finished?.type as 'Complete' | 'Failed' | undefined;
}

export interface JobCounts {
  active: number;
  succeeded: number;
  failed: number;
}

// Whether a Job has just finished, and how, from its counts and spec (kube's job controller rules
// for completions, backoffLimit and activeDeadlineSeconds).
export function decideOutcome(
  job: V1Job,
  counts: JobCounts,
  now: Date,
  started: Date | undefined,
): JobOutcome | undefined {
  const completions = job.spec?.completions;
  if (
    completions !== undefined && completions !== null
      ? counts.succeeded >= completions
      : counts.succeeded > 0 && counts.active === 0
  )
    return { type: 'Complete' };
  const backoffLimit = job.spec?.backoffLimit ?? 6;
  if (counts.failed > backoffLimit)
    return { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
  const deadline = job.spec?.activeDeadlineSeconds;
  if (deadline !== undefined && started && now.getTime() - started.getTime() >= deadline * 1000)
    return { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
  return undefined;
}

// The conditions a finished Job carries: Complete (after SuccessCriteriaMet) or Failed (after
// FailureTarget), as kube 1.31+ writes them, which `kubectl wait --for=condition=…` reads.
export function outcomeConditions(outcome: JobOutcome, now: Date): V1JobCondition[] {
  const at = formatTimestamp(now) as unknown as Date;
  const make = (type: string, reason?: string, message?: string): V1JobCondition => ({
    type,
    status: 'True',
    lastProbeTime: at,
    lastTransitionTime: at,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  });
  if (outcome.type === 'Complete')
    return [
      make('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'),
      make('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'),
    ];
  return [make('FailureTarget', outcome.reason, outcome.message), make('Failed', outcome.reason, outcome.message)];
}
