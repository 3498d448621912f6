import type { Queryable } from '../lib/db';

export type RunOutcome = 'running' | 'completed' | 'failed' | 'interrupted';

export interface JobRun {
  id: number;
  kind: string;
  jobId: string;
  jobName: string;
  scheduleId: number | null;
  attempt: number;
  data: Record<string, unknown>;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  outcome: RunOutcome;
  result: unknown;
  failureReason: string | null;
  willRetry: boolean;
  filesPurgedAt: Date | null;
}

type JobRunRow = {
  id: number;
  kind: string;
  job_id: string;
  job_name: string;
  schedule_id: number | null;
  attempt: number;
  data: Record<string, unknown>;
  started_at: Date;
  finished_at: Date | null;
  outcome: RunOutcome;
  result: unknown;
  failure_reason: string | null;
  will_retry: boolean;
  files_purged_at: Date | null;
};

const COLUMNS = 'id, kind, job_id, job_name, schedule_id, attempt, data, started_at, finished_at, outcome, result, failure_reason, will_retry, files_purged_at';

function toRun(row: JobRunRow): JobRun {
  return {
    id: row.id,
    kind: row.kind,
    jobId: row.job_id,
    jobName: row.job_name,
    scheduleId: row.schedule_id,
    attempt: row.attempt,
    data: row.data,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.finished_at ? row.finished_at.getTime() - row.started_at.getTime() : null,
    outcome: row.outcome,
    result: row.result,
    failureReason: row.failure_reason,
    willRetry: row.will_retry,
    filesPurgedAt: row.files_purged_at,
  };
}

export interface RunFilter {
  kind?: string;
  scheduleId?: number;
  outcome?: RunOutcome;
  limit: number;
}

export class JobRunsStore {
  constructor(private readonly db: Queryable) {}

  /** A new attempt of a job; an older attempt still marked running was cut off (worker died). */
  async started(run: { kind: string; jobId: string; jobName: string; scheduleId: number | null; attempt: number; data: unknown; startedAt: Date }): Promise<void> {
    await this.db.query(
      `WITH cut AS (
         UPDATE job_runs SET outcome = 'interrupted', finished_at = $7::timestamptz,
                failure_reason = 'the worker stopped before the job finished; it was started again'
          WHERE kind = $1::text AND job_id = $2::text AND outcome = 'running')
       INSERT INTO job_runs (kind, job_id, job_name, schedule_id, attempt, data, started_at)
       SELECT $1::text, $2::text, $3::text, (SELECT id FROM schedules WHERE id = $4::int), $5::int, $6::jsonb, $7::timestamptz`,
      [run.kind, run.jobId, run.jobName, run.scheduleId, run.attempt, JSON.stringify(run.data ?? {}), run.startedAt],
    );
  }

  async finished(
    kind: string,
    jobId: string,
    outcome: { outcome: 'completed' | 'failed'; finishedAt: Date; result?: unknown; failureReason?: string; willRetry?: boolean },
  ): Promise<void> {
    await this.db.query(
      `UPDATE job_runs SET outcome = $3::text, finished_at = $4::timestamptz, result = $5::jsonb, failure_reason = $6::text, will_retry = $7::boolean
        WHERE id = (SELECT id FROM job_runs WHERE kind = $1::text AND job_id = $2::text ORDER BY id DESC LIMIT 1)`,
      [
        kind,
        jobId,
        outcome.outcome,
        outcome.finishedAt,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.failureReason ?? null,
        outcome.willRetry ?? false,
      ],
    );
  }

  async list(filter: RunFilter): Promise<JobRun[]> {
    const { rows } = await this.db.query<JobRunRow>(
      `SELECT ${COLUMNS} FROM job_runs
        WHERE ($1::text IS NULL OR kind = $1::text) AND ($2::int IS NULL OR schedule_id = $2::int) AND ($3::text IS NULL OR outcome = $3::text)
        ORDER BY started_at DESC, id DESC LIMIT $4::int`,
      [filter.kind ?? null, filter.scheduleId ?? null, filter.outcome ?? null, filter.limit],
    );
    return rows.map(toRun);
  }

  async find(id: number): Promise<JobRun | undefined> {
    const { rows } = await this.db.query<JobRunRow>(`SELECT ${COLUMNS} FROM job_runs WHERE id = $1::bigint`, [id]);
    return rows[0] && toRun(rows[0]);
  }

  /** The newest run of each schedule, for the schedules list. */
  async latestPerSchedule(): Promise<Map<number, JobRun>> {
    const { rows } = await this.db.query<JobRunRow>(
      `SELECT DISTINCT ON (schedule_id) ${COLUMNS} FROM job_runs WHERE schedule_id IS NOT NULL ORDER BY schedule_id, started_at DESC, id DESC`,
    );
    return new Map(rows.map((row) => [row.schedule_id!, toRun(row)]));
  }

  /** Finished runs past the cutoff whose files have not been purged yet. */
  async finishedBefore(cutoff: Date): Promise<JobRun[]> {
    const { rows } = await this.db.query<JobRunRow>(
      `SELECT ${COLUMNS} FROM job_runs
        WHERE outcome IN ('completed', 'failed', 'interrupted') AND finished_at < $1::timestamptz AND files_purged_at IS NULL
        ORDER BY finished_at`,
      [cutoff],
    );
    return rows.map(toRun);
  }

  async markFilesPurged(id: number): Promise<void> {
    await this.db.query('UPDATE job_runs SET files_purged_at = now() WHERE id = $1::bigint', [id]);
  }
}
