import type { V1CronJob, V1Job, V1ObjectMeta, V1ObjectReference } from '@kubernetes/client-node';
import { MERGE_PATCH, tolerateGoneOrExists } from '../client/api-errors.ts';
import { finishedOutcome } from '../job/job-conditions.ts';
import { compact, isSubsetOf, plainValue } from '../objects/canonical-json.ts';
import { recordEvent } from '../objects/events.ts';
import { controllerReference, groupByController } from '../objects/owner.ts';
import { formatTimestamp, toDate } from '../runtime/clock.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';
import { lastFireTime } from './cron-schedule.ts';

const COMPONENT = 'cronjob-controller';

// Creates each CronJob's Job when its schedule fires (in its timeZone), honouring
// concurrencyPolicy, startingDeadlineSeconds, suspend and the two history limits.
export function createCronJobController(context: ControllerContext): Controller {
  return {
    name: COMPONENT,
    watches: ['/apis/batch/v1/cronjobs', '/apis/batch/v1/jobs'],
    resyncMs: 1000,
    async reconcile() {
      const [cronJobs, jobs] = await Promise.all([
        context.client.batch.listCronJobForAllNamespaces(),
        context.client.batch.listJobForAllNamespaces(),
      ]);
      const jobsByOwner = groupByController(jobs.items);
      for (const cronJob of cronJobs.items) {
        if (cronJob.metadata?.deletionTimestamp) continue;
        try {
          await syncCronJob(context, cronJob, jobsByOwner.get(cronJob.metadata?.uid ?? '') ?? []);
        } catch (error) {
          context.log(`cronjob ${cronJob.metadata?.namespace}/${cronJob.metadata?.name}`, error);
        }
      }
    },
  };
}

// The name kube gives a scheduled Job: `<cronjob>-<minutes since the epoch>`.
export function scheduledJobName(cronJob: V1CronJob, scheduledAt: Date): string {
  return `${cronJob.metadata?.name}-${Math.floor(scheduledAt.getTime() / 60_000)}`;
}

// The time a CronJob should run for now, if any: the latest firing since the last scheduled run
// (or creation), within startingDeadlineSeconds.
export function dueScheduleTime(cronJob: V1CronJob, now: Date): Date | undefined {
  const last = toDate(cronJob.status?.lastScheduleTime) ?? toDate(cronJob.metadata?.creationTimestamp) ?? now;
  const deadline = cronJob.spec?.startingDeadlineSeconds;
  const earliest =
    deadline !== undefined && deadline !== null
      ? new Date(Math.max(last.getTime(), now.getTime() - deadline * 1000))
      : last;
  return lastFireTime(cronJob.spec?.schedule ?? '', cronJob.spec?.timeZone, earliest, now);
}

async function syncCronJob(context: ControllerContext, cronJob: V1CronJob, owned: V1Job[]) {
  const now = context.clock.now();
  const namespace = cronJob.metadata?.namespace ?? 'default';
  const name = cronJob.metadata?.name ?? '';
  const { batch } = context.client;
  let active = owned.filter((job) => !finishedOutcome(job) && !job.metadata?.deletionTimestamp);
  let lastScheduleTime = toDate(cronJob.status?.lastScheduleTime);
  const due = cronJob.spec?.suspend ? undefined : dueScheduleTime(cronJob, now);
  const policy = cronJob.spec?.concurrencyPolicy ?? 'Allow';
  if (due && !(policy === 'Forbid' && active.length > 0)) {
    if (policy === 'Replace') {
      for (const job of active) await deleteJob(context, job);
      active = [];
    }
    const job = await tolerateGoneOrExists(() =>
      batch.createNamespacedJob({ namespace, body: scheduledJob(cronJob, due) }),
    );
    if (job) {
      active.push(job);
      await recordEvent(
        context.client.core,
        COMPONENT,
        cronJob,
        { reason: 'SuccessfulCreate', message: `Created job ${job.metadata?.name}` },
        now,
      );
    }
    lastScheduleTime = due;
  }
  await pruneHistory(context, cronJob, owned);
  const succeeded = owned.filter((job) => finishedOutcome(job) === 'Complete');
  const lastSuccessfulTime = succeeded
    .map((job) => toDate(job.status?.completionTime)?.getTime() ?? 0)
    .reduce((latest, time) => Math.max(latest, time), 0);
  const status = plainValue({
    active: active.map(referenceTo),
    lastScheduleTime: lastScheduleTime ? formatTimestamp(lastScheduleTime) : undefined,
    lastSuccessfulTime: lastSuccessfulTime > 0 ? formatTimestamp(new Date(lastSuccessfulTime)) : undefined,
  });
  if (isSubsetOf(status, { ...cronJob.status, active: cronJob.status?.active ?? [] })) return;
  const body = { status: { ...status, active: status.active.length > 0 ? status.active : null } };
  await tolerateGoneOrExists(() => batch.patchNamespacedCronJobStatus({ name, namespace, body }, MERGE_PATCH));
}

function scheduledJob(cronJob: V1CronJob, scheduledAt: Date): V1Job {
  const template = cronJob.spec?.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: compact<V1ObjectMeta>({
      name: scheduledJobName(cronJob, scheduledAt),
      namespace: cronJob.metadata?.namespace,
      labels: template?.metadata?.labels,
      annotations: {
        ...(template?.metadata?.annotations ?? {}),
        'batch.kubernetes.io/cronjob-scheduled-timestamp': formatTimestamp(scheduledAt),
      },
      ownerReferences: [controllerReference(cronJob, 'batch/v1', 'CronJob')],
    }),
    spec: structuredClone(template?.spec ?? { template: {} }),
  };
}

function referenceTo(job: V1Job): V1ObjectReference {
  return compact<V1ObjectReference>({
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: job.metadata?.name,
    namespace: job.metadata?.namespace,
    uid: job.metadata?.uid,
  });
}

async function pruneHistory(context: ControllerContext, cronJob: V1CronJob, owned: V1Job[]) {
  const limits = {
    Complete: cronJob.spec?.successfulJobsHistoryLimit ?? 3,
    Failed: cronJob.spec?.failedJobsHistoryLimit ?? 1,
  };
  for (const outcome of ['Complete', 'Failed'] as const) {
    const finished = owned
      .filter((job) => finishedOutcome(job) === outcome && !job.metadata?.deletionTimestamp)
      .sort(
        (left, right) =>
          (toDate(left.status?.startTime)?.getTime() ?? 0) - (toDate(right.status?.startTime)?.getTime() ?? 0),
      );
    for (const job of finished.slice(0, Math.max(finished.length - limits[outcome], 0))) await deleteJob(context, job);
  }
}

async function deleteJob(context: ControllerContext, job: V1Job) {
  await tolerateGoneOrExists(() =>
    context.client.batch.deleteNamespacedJob({
      name: job.metadata?.name ?? '',
      namespace: job.metadata?.namespace ?? 'default',
      propagationPolicy: 'Background',
    }),
  );
}
