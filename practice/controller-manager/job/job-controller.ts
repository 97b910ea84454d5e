import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { MERGE_PATCH, tolerateGoneOrExists } from '../client/api-errors.ts';
import { isSubsetOf, plainValue } from '../objects/canonical-json.ts';
import { recordEvent } from '../objects/events.ts';
import { randomSuffixName } from '../objects/names.ts';
import { controllerReference, groupByController } from '../objects/owner.ts';
import { isActive, isReady } from '../objects/pod-state.ts';
import { podFromTemplate } from '../objects/pod-template.ts';
import { formatTimestamp, toDate } from '../runtime/clock.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';
import { decideOutcome, finishedOutcome, outcomeConditions } from './job-conditions.ts';

const COMPONENT = 'job-controller';

// Runs each Job's pods, up to parallelism at a time, until completions succeed or backoffLimit
// failures (or activeDeadlineSeconds) fail it; finished Jobs go after ttlSecondsAfterFinished.
export function createJobController(context: ControllerContext): Controller {
  return {
    name: COMPONENT,
    watches: ['/apis/batch/v1/jobs', '/api/v1/pods'],
    resyncMs: 2000,
    async reconcile() {
      const [jobs, pods] = await Promise.all([
        context.client.batch.listJobForAllNamespaces(),
        context.client.core.listPodForAllNamespaces(),
      ]);
      const podsByOwner = groupByController(pods.items);
      for (const job of jobs.items) {
        if (job.metadata?.deletionTimestamp) continue;
        await syncJob(context, job, podsByOwner.get(job.metadata?.uid ?? '') ?? []);
      }
    },
  };
}

async function syncJob(context: ControllerContext, job: V1Job, owned: V1Pod[]) {
  const now = context.clock.now();
  const name = job.metadata?.name ?? '';
  const namespace = job.metadata?.namespace ?? 'default';
  const { core, batch } = context.client;
  const finished = finishedOutcome(job);
  if (finished) return expireFinishedJob(context, job, now);
  let active = owned.filter(isActive);
  const counts = {
    active: active.length,
    succeeded: Math.max(job.status?.succeeded ?? 0, owned.filter((pod) => pod.status?.phase === 'Succeeded').length),
    failed: Math.max(job.status?.failed ?? 0, owned.filter((pod) => pod.status?.phase === 'Failed').length),
  };
  const startTime =
    job.status?.startTime ?? (job.spec?.suspend ? undefined : (formatTimestamp(now) as unknown as Date));
  const outcome = decideOutcome(job, counts, now, toDate(startTime));
  const deletePod = (pod: V1Pod) =>
    tolerateGoneOrExists(() => core.deleteNamespacedPod({ name: pod.metadata?.name ?? '', namespace }));
  if (outcome || job.spec?.suspend) {
    for (const pod of active) await deletePod(pod);
    active = [];
  } else {
    const parallelism = job.spec?.parallelism ?? 1;
    const completions = job.spec?.completions;
    const remaining = completions === undefined || completions === null ? parallelism : completions - counts.succeeded;
    const wanted = Math.max(Math.min(parallelism, remaining), 0);
    for (let index = active.length; index < wanted; index++) {
      const body = jobPod(job);
      const created = await tolerateGoneOrExists(() => core.createNamespacedPod({ namespace, body }));
      if (created) {
        active.push(created);
        const message = `Created pod: ${created.metadata?.name}`;
        await recordEvent(core, COMPONENT, job, { reason: 'SuccessfulCreate', message }, now);
      }
    }
    for (const pod of active.slice(wanted)) await deletePod(pod);
    active = active.slice(0, wanted);
  }
  const status = plainValue({
    active: active.length,
    ready: active.filter(isReady).length,
    succeeded: counts.succeeded,
    failed: counts.failed,
    startTime,
    ...(outcome
      ? {
          conditions: [...(job.status?.conditions ?? []), ...outcomeConditions(outcome, now)],
          ...(outcome.type === 'Complete' ? { completionTime: formatTimestamp(now) } : {}),
        }
      : {}),
  });
  if (outcome) {
    const reason = outcome.type === 'Complete' ? 'Completed' : outcome.reason;
    const message = outcome.type === 'Complete' ? 'Job completed' : outcome.message;
    await recordEvent(
      core,
      COMPONENT,
      job,
      { reason, message, type: outcome.type === 'Complete' ? 'Normal' : 'Warning' },
      now,
    );
  }
  if (isSubsetOf(status, job.status)) return;
  await tolerateGoneOrExists(() => batch.patchNamespacedJobStatus({ name, namespace, body: { status } }, MERGE_PATCH));
}

function jobPod(job: V1Job): V1Pod {
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  return podFromTemplate(job.spec?.template, {
    name: randomSuffixName(name),
    namespace: job.metadata?.namespace ?? 'default',
    ownerReference: controllerReference(job, 'batch/v1', 'Job'),
    labels: {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    },
  });
}

async function expireFinishedJob(context: ControllerContext, job: V1Job, now: Date) {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const finishedAt = toDate(
    job.status?.completionTime ??
      job.status?.conditions?.find((condition) => condition.type === 'Failed')?.lastTransitionTime,
  );
  if (ttl === undefined || ttl === null || !finishedAt || now.getTime() - finishedAt.getTime() < ttl * 1000) return;
  await tolerateGoneOrExists(() =>
    context.client.batch.deleteNamespacedJob({
      name: job.metadata?.name ?? '',
      namespace: job.metadata?.namespace ?? 'default',
      propagationPolicy: 'Background',
    }),
  );
}
