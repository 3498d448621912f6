import { CronExpressionParser } from 'cron-parser';
import { BadRequestError, fieldsError } from '../lib/errors';
import type { FieldError } from '../web/error-summary';
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

/** The next run times for the form's preview: a wrong time zone and a wrong pattern both reported. */
export function previewRuns(pattern: string, tz: string, count = 5): Date[] {
  let zone = 'UTC';
  const errors: FieldError[] = [];
  try {
    zone = validTimeZone(tz);
  } catch (error) {
    errors.push(problemOf(error));
  }
  try {
    const times = nextRunTimes(pattern, zone, count);
    if (errors.length === 0) return times;
  } catch (error) {
    errors.push(problemOf(error));
  }
  throw fieldsError(errors);
}

/** The field a BadRequestError names and its message, as a form shows it. */
function problemOf(error: unknown): FieldError {
  if (!(error instanceof BadRequestError)) throw error;
  return { field: String(error.details?.field ?? 'name'), message: error.message };
}

/**
 * Checks a schedule from a form, the CLI or the API. Every problem is found, not only the first:
 * the error's message joins them, `details.field` is the first field and `details.errors` lists
 * each field with its message (the console's error summary shows them all).
 */
export function validateSchedule(raw: RawScheduleInput, kinds: readonly string[]): ScheduleInput {
  const errors: FieldError[] = [];
  const check = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      errors.push(problemOf(error));
      return undefined;
    }
  };
  const name = text(raw.name).toLowerCase();
  if (!NAME.test(name)) {
    errors.push({ field: 'name', message: name ? 'The name must be lowercase letters, digits and single hyphens, e.g. nightly-purge' : 'Give the schedule a name, e.g. nightly-purge' });
  }
  const kind = text(raw.kind);
  if (!kinds.includes(kind)) errors.push({ field: 'kind', message: `Unknown job kind "${kind}"; choose one of ${kinds.join(', ')}` });
  const pattern = text(raw.pattern).split(/\s+/).join(' ');
  const tz = check(() => validTimeZone(text(raw.tz) || 'UTC'));
  // The pattern is read in UTC when the time zone is wrong, so that its own problems show too.
  check(() => nextRunTimes(pattern, tz ?? 'UTC', 1));
  const data = check(() => jobData(raw.data));
  if (errors.length > 0) throw fieldsError(errors);
  return { name, kind, pattern, tz: tz!, data: data! };
}

function jobData(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new BadRequestError(`The job data is not valid JSON: ${(error as Error).message}`, { field: 'data' });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError('The job data must be a JSON object, e.g. {} or {"batchSize": 500}', { field: 'data' });
  }
  return parsed as Record<string, unknown>;
}
