import { BatchV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MERGE_PATCH } from '../../practice/controller-manager/client/api-errors.ts';
import { type ControllersCluster, eventually, startControllersCluster } from '../helpers/practice-controllers.ts';

// Jobs and CronJobs on one practice cluster through the real kubectl 1.32. The kubelets run the
// pods: `true` succeeds, `false` fails.
let cluster: ControllersCluster;

interface Job {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[]; annotations?: Record<string, string> };
  status?: { succeeded?: number; failed?: number; conditions?: { type: string; reason?: string }[] };
}

beforeAll(async () => {
  cluster = await startControllersCluster('controllers-batch');
}, 60_000);

afterAll(async () => {
  await cluster?.down();
});

describe('the job controller', () => {
  it('runs pods until completions succeed, and kubectl wait --for=condition=complete returns', async () => {
    const job = JSON.stringify({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'three' },
      spec: {
        completions: 3,
        parallelism: 2,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] },
        },
      },
    });
    expect((await cluster.kubectl(['apply', '-f', '-'], job)).exitCode).toBe(0);
    const wait = await cluster.kubectl(['wait', '--for=condition=complete', 'job/three', '--timeout=30s']);
    expect(wait.exitCode, wait.stderr).toBe(0);
    expect(wait.stdout).toContain('job.batch/three condition met');
    const done = await cluster.getJson<Job & { status: { completionTime?: string; startTime?: string } }>([
      'get',
      'job',
      'three',
    ]);
    expect(done.status.succeeded).toBe(3);
    expect(done.status.completionTime).toBeDefined();
    expect(done.status.startTime).toBeDefined();
    const pods = await cluster.getJson<{ items: unknown[] }>(['get', 'pods', '-l', 'job-name=three']);
    expect(pods.items).toHaveLength(3);
  });

  it('fails a job after backoffLimit failed pods, with reason BackoffLimitExceeded', async () => {
    const job = JSON.stringify({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'doomed' },
      spec: {
        backoffLimit: 1,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['false'] }] },
        },
      },
    });
    expect((await cluster.kubectl(['apply', '-f', '-'], job)).exitCode).toBe(0);
    const wait = await cluster.kubectl(['wait', '--for=condition=failed', 'job/doomed', '--timeout=30s']);
    expect(wait.exitCode, wait.stderr).toBe(0);
    const failed = await cluster.getJson<Job>(['get', 'job', 'doomed']);
    expect(failed.status?.failed).toBe(2);
    expect(failed.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'Failed', reason: 'BackoffLimitExceeded' }),
    );
  });
});

describe('the cronjob controller', () => {
  it('creates the Job of a missed minute at once, named <cronjob>-<minutes since the epoch>', async () => {
    const created = await cluster.kubectl([
      'create',
      'cronjob',
      'tick',
      '--image=busybox',
      '--schedule=* * * * *',
      '--',
      'true',
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    // As after a controller-manager outage: the last run was two minutes ago, so this minute is due now.
    const batch = cluster.kubeConfig.makeApiClient(BatchV1Api);
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await batch.patchNamespacedCronJobStatus(
      { name: 'tick', namespace: 'default', body: { status: { lastScheduleTime: twoMinutesAgo } } },
      MERGE_PATCH,
    );
    const job = await eventually(async () => {
      const jobs = await cluster.getJson<{ items: Job[] }>(['get', 'jobs']);
      return jobs.items.find((item) =>
        item.metadata.ownerReferences?.some((ref) => ref.kind === 'CronJob' && ref.name === 'tick'),
      );
    });
    const minute = Math.floor(
      Date.parse(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '') / 60_000,
    );
    expect(job.metadata.name).toBe(`tick-${minute}`);
    expect(Date.now() / 60_000 - minute).toBeLessThan(1.1);
    const wait = await cluster.kubectl([
      'wait',
      '--for=condition=complete',
      `job/${job.metadata.name}`,
      '--timeout=30s',
    ]);
    expect(wait.exitCode, wait.stderr).toBe(0);
    const status = await eventually(async () => {
      const result = await cluster.kubectl([
        'get',
        'cronjob',
        'tick',
        '-o',
        'jsonpath={.status.lastScheduleTime} {.status.lastSuccessfulTime}',
      ]);
      const [scheduled, succeeded] = result.stdout.split(' ');
      return scheduled && succeeded ? scheduled : undefined;
    });
    expect(Math.floor(Date.parse(status) / 60_000)).toBe(minute);
  });

  it('lets kubectl create job --from=cronjob run it by hand', async () => {
    const created = await cluster.kubectl(['create', 'job', 'by-hand', '--from=cronjob/tick']);
    expect(created.exitCode, created.stderr).toBe(0);
    const wait = await cluster.kubectl(['wait', '--for=condition=complete', 'job/by-hand', '--timeout=30s']);
    expect(wait.exitCode, wait.stderr).toBe(0);
  });

  it('keeps no more finished jobs than successfulJobsHistoryLimit', async () => {
    const patch = JSON.stringify({ spec: { successfulJobsHistoryLimit: 0 } });
    expect((await cluster.kubectl(['patch', 'cronjob', 'tick', '--type=merge', '-p', patch])).exitCode).toBe(0);
    await eventually(async () =>
      (await cluster.kubectl(['get', 'job', 'by-hand'])).exitCode !== 0 ? true : undefined,
    );
    await eventually(async () => {
      const jobs = await cluster.getJson<{ items: Job[] }>(['get', 'jobs']);
      const owned = jobs.items.filter((item) => item.metadata.ownerReferences?.some((ref) => ref.name === 'tick'));
      return owned.every((item) => !item.status?.conditions?.some((condition) => condition.type === 'Complete'))
        ? true
        : undefined;
    });
  });
});
