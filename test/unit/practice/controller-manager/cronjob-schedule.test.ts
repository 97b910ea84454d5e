import type { V1CronJob } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { CronScheduleError, lastFireTime } from '../../../../practice/controller-manager/cronjob/cron-schedule.ts';
import {
  dueScheduleTime,
  scheduledJobName,
} from '../../../../practice/controller-manager/cronjob/cronjob-controller.ts';

const at = (iso: string) => new Date(iso);

function cronJob(spec: Partial<NonNullable<V1CronJob['spec']>>, status: V1CronJob['status'] = {}): V1CronJob {
  return {
    metadata: { name: 'backup', creationTimestamp: at('2025-03-01T10:00:30Z') },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: {} } }, ...spec },
    status,
  };
}

describe('when a CronJob is due, on a fake clock', () => {
  it('is not due before its first firing after creation, and due from that minute on', () => {
    expect(dueScheduleTime(cronJob({}), at('2025-03-01T10:00:59Z'))).toBeUndefined();
    expect(dueScheduleTime(cronJob({}), at('2025-03-01T10:01:00Z'))).toEqual(at('2025-03-01T10:01:00Z'));
    expect(dueScheduleTime(cronJob({}), at('2025-03-01T10:01:40Z'))).toEqual(at('2025-03-01T10:01:00Z'));
  });

  it('runs only the latest of several missed firings, and none twice', () => {
    const last = { lastScheduleTime: at('2025-03-01T10:02:00Z') };
    expect(dueScheduleTime(cronJob({}, last), at('2025-03-01T10:07:10Z'))).toEqual(at('2025-03-01T10:07:00Z'));
    expect(
      dueScheduleTime(cronJob({}, { lastScheduleTime: at('2025-03-01T10:07:00Z') }), at('2025-03-01T10:07:50Z')),
    ).toBeUndefined();
  });

  it('drops a firing older than startingDeadlineSeconds', () => {
    const job = cronJob(
      { schedule: '0 * * * *', startingDeadlineSeconds: 60 },
      { lastScheduleTime: at('2025-03-01T09:00:00Z') },
    );
    expect(dueScheduleTime(job, at('2025-03-01T10:00:59Z'))).toEqual(at('2025-03-01T10:00:00Z'));
    expect(dueScheduleTime(job, at('2025-03-01T10:01:01Z'))).toBeUndefined();
  });

  it('reads the schedule in the CronJob timeZone or a CRON_TZ prefix', () => {
    const after = at('2025-03-01T00:00:00Z');
    const now = at('2025-03-01T23:59:00Z');
    expect(lastFireTime('0 9 * * *', 'Europe/Berlin', after, now)).toEqual(at('2025-03-01T08:00:00Z'));
    expect(lastFireTime('CRON_TZ=America/New_York 0 9 * * *', undefined, after, now)).toEqual(
      at('2025-03-01T14:00:00Z'),
    );
    expect(lastFireTime('@hourly', undefined, after, at('2025-03-01T05:30:00Z'))).toEqual(at('2025-03-01T05:00:00Z'));
  });

  it('names the job after the scheduled minute and rejects schedules it cannot parse', () => {
    expect(scheduledJobName(cronJob({}), at('2025-03-01T10:01:00Z'))).toBe(
      `backup-${Date.parse('2025-03-01T10:01:00Z') / 60_000}`,
    );
    expect(() =>
      lastFireTime('not a schedule', undefined, at('2025-03-01T00:00:00Z'), at('2025-03-02T00:00:00Z')),
    ).toThrow(CronScheduleError);
  });
});
