import { CronExpressionParser } from 'cron-parser';

export class CronScheduleError extends Error {
  readonly code = 'CRON_SCHEDULE_INVALID';

  constructor(schedule: string, cause: unknown) {
    super(`unparseable schedule "${schedule}"`, { cause });
    this.name = 'CronScheduleError';
  }
}

const TZ_PREFIX = /^(?:CRON_TZ|TZ)=(\S+)\s+/;

// The latest time a 5-field schedule (or @hourly and friends; a CRON_TZ= prefix or the CronJob's
// timeZone) fired in (after, now]; undefined when it has not fired since `after`.
export function lastFireTime(schedule: string, timeZone: string | undefined, after: Date, now: Date): Date | undefined {
  const prefixed = TZ_PREFIX.exec(schedule);
  const expression = prefixed ? schedule.slice(prefixed[0].length) : schedule;
  const tz = prefixed?.[1] ?? timeZone ?? 'UTC';
  let cron: ReturnType<typeof CronExpressionParser.parse>;
  try {
    cron = CronExpressionParser.parse(expression.trim(), { currentDate: new Date(now.getTime() + 1), tz });
  } catch (error) {
    throw new CronScheduleError(schedule, error);
  }
  const fired = cron.prev().toDate();
  return fired.getTime() > after.getTime() ? fired : undefined;
}
