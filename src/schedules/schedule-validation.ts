import { CronExpressionParser } from 'cron-parser';
import { BadRequestError } from '../lib/errors';
import type { ScheduleInput } from './schedules-store';

export interface RawScheduleInput {
  name?: unknown;
  kind?: unknown;
  pattern?: unknown;
  tz?: unknown;
  data?: unknown;
}

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The canonical IANA name of a time zone, or a BadRequestError naming the field. */
export function validTimeZone(value: string): string {
  if (!value) throw new BadRequestError('Give a time zone, for example UTC or America/New_York', { field: 'tz' });
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new BadRequestError(`"${value}" is not a time zone; use an IANA name such as UTC or America/Chicago`, { field: 'tz' });
  }
}

/**
 * The next `count` run times of a cron pattern (5 fields, or 6 with seconds first) in a time zone,
 * computed by cron-parser — the same library BullMQ uses to place the scheduler's next job.
 */
export function nextRunTimes(pattern: string, tz: string, count = 5, from: Date = new Date()): Date[] {
  const fields = pattern.trim().split(/\s+/).filter(Boolean);
  if (fields.length < 5 || fields.length > 6) {
    throw new BadRequestError(
      `The cron pattern "${pattern}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; it needs 5 (minute hour day month weekday) or 6 (seconds first)`,
      { field: 'pattern' },
    );
  }
  let expression;
  try {
    expression = CronExpressionParser.parse(fields.join(' '), { tz: validTimeZone(tz), currentDate: from });
  } catch (error) {
    if (error instanceof BadRequestError) throw error;
    throw new BadRequestError(`The cron pattern "${pattern}" is not valid: ${(error as Error).message}`, { field: 'pattern' });
  }
  const times: Date[] = [];
  for (let i = 0; i < count && expression.hasNext(); i++) times.push(expression.next().toDate());
  if (times.length === 0) throw new BadRequestError(`The cron pattern "${pattern}" never runs`, { field: 'pattern' });
  return times;
}

/** Checks a schedule from a form, the CLI or the API; errors name the field. */
export function validateSchedule(raw: RawScheduleInput, kinds: readonly string[]): ScheduleInput {
  const name = text(raw.name).toLowerCase();
  if (!NAME.test(name)) {
    throw new BadRequestError('The name must be lowercase letters, digits and single hyphens, e.g. nightly-purge', { field: 'name' });
  }
  const kind = text(raw.kind);
  if (!kinds.includes(kind)) throw new BadRequestError(`Unknown job kind "${kind}"; choose one of ${kinds.join(', ')}`, { field: 'kind' });
  const pattern = text(raw.pattern).split(/\s+/).join(' ');
  const tz = validTimeZone(text(raw.tz) || 'UTC');
  nextRunTimes(pattern, tz, 1);
  let data: Record<string, unknown> = {};
  if (raw.data !== undefined && raw.data !== null && raw.data !== '') {
    let parsed = raw.data;
    if (typeof raw.data === 'string') {
      try {
        parsed = JSON.parse(raw.data);
      } catch (error) {
        throw new BadRequestError(`The job data is not valid JSON: ${(error as Error).message}`, { field: 'data' });
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new BadRequestError('The job data must be a JSON object, e.g. {} or {"batchSize": 500}', { field: 'data' });
    }
    data = parsed as Record<string, unknown>;
  }
  return { name, kind, pattern, tz, data };
}
