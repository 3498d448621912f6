import type { Queryable } from '../lib/db';
import type { ColumnMapping } from './cleanse';
import { inReadingOrder, type ListSummary } from './cleanse';
import { snapshotTimeSql } from './jobs/refused-keys-store';

export type ListStatus = 'draft' | 'queued' | 'running' | 'completed' | 'failed';

export interface ListJob {
  id: string;
  mailerId: number;
  mailerName: string;
  categoryId: number;
  categorySlug: string;
  categoryName: string;
  listName: string;
  mode: 'suppress' | 'flag';
  dedupe: boolean;
  keepUnreadable: boolean;
  mapping: ColumnMapping;
  status: ListStatus;
  inputBytes: number;
  inputSha256: string | null;
  rowsProcessed: number;
  bytesProcessed: number;
  rowsIn: number | null;
  rowsKept: number | null;
  rowsDiscarded: number | null;
  summary: ListSummary | null;
  snapshotAt: Date | null;
  validUntil: Date | null;
  error: string | null;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  filesDeletedAt: Date | null;
}

const COLUMNS = `j.id, j.mailer_id AS "mailerId", m.name AS "mailerName", j.category_id AS "categoryId",
  c.slug AS "categorySlug", c.name AS "categoryName", j.list_name AS "listName", j.mode, j.dedupe,
  j.keep_unreadable AS "keepUnreadable", j.mapping, j.status, j.input_bytes AS "inputBytes",
  j.input_sha256 AS "inputSha256", j.rows_processed AS "rowsProcessed", j.bytes_processed AS "bytesProcessed",
  j.rows_in AS "rowsIn", j.rows_kept AS "rowsKept", j.rows_discarded AS "rowsDiscarded", j.summary,
  j.snapshot_at AS "snapshotAt", j.valid_until AS "validUntil", j.error, j.attempts, j.created_at AS "createdAt",
  j.started_at AS "startedAt", j.finished_at AS "finishedAt", j.files_deleted_at AS "filesDeletedAt"`;
const FROM = `FROM list_jobs j JOIN mailers m ON m.id = j.mailer_id JOIN categories c ON c.id = j.category_id`;

export interface NewListJob {
  id: string;
  mailerId: number;
  categoryId: number;
  listName: string;
  mode: 'suppress' | 'flag';
  dedupe: boolean;
  keepUnreadable: boolean;
  mapping: ColumnMapping;
  inputBytes: number;
  inputSha256: string;
  idempotencyKey?: string;
  /** 'draft': recorded but not queued until the mailer confirms (a portal upload). */
  status?: 'draft' | 'queued';
}

type Row = ListJob & Record<string, unknown>;

function ordered(row: Row): ListJob {
  return row.summary ? { ...row, summary: inReadingOrder(row.summary) } : row;
}

export class ListsStore {
  constructor(private readonly db: Queryable) {}

  /** Records a new job; false when the mailer already has a job with this idempotency key. */
  async insert(job: NewListJob): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO list_jobs (id, mailer_id, category_id, list_name, mode, dedupe, keep_unreadable, mapping, input_bytes, input_sha256, idempotency_key, status)
       VALUES ($1::uuid, $2::integer, $3::integer, $4::text, $5::text, $6::boolean, $7::boolean, $8::jsonb, $9::bigint, $10::text, $11::text, $12::text)
       ON CONFLICT (mailer_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
      [job.id, job.mailerId, job.categoryId, job.listName, job.mode, job.dedupe, job.keepUnreadable, JSON.stringify(job.mapping), job.inputBytes, job.inputSha256, job.idempotencyKey ?? null, job.status ?? 'queued'],
    );
    return rowCount === 1;
  }

  /** Draft → queued, once: false when it was not a draft any more (confirmed twice at once). */
  async queueDraft(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE list_jobs SET status = 'queued', created_at = now() WHERE id = $1::uuid AND status = 'draft'`, [id]);
    return rowCount === 1;
  }

  async deleteDraft(id: string): Promise<void> {
    await this.db.query(`DELETE FROM list_jobs WHERE id = $1::uuid AND status = 'draft'`, [id]);
  }

  async findByIdempotencyKey(mailerId: number, key: string): Promise<ListJob | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE j.mailer_id = $1::integer AND j.idempotency_key = $2::text`, [mailerId, key]);
    return rows.map(ordered)[0];
  }

  async find(id: string): Promise<ListJob | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE j.id = $1::uuid`, [id]);
    return rows.map(ordered)[0];
  }

  async findForMailer(mailerId: number, id: string): Promise<ListJob | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE j.id = $1::uuid AND j.mailer_id = $2::integer`, [id, mailerId]);
    return rows.map(ordered)[0];
  }

  async listForMailer(mailerId: number, limit = 100): Promise<ListJob[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE j.mailer_id = $1::integer ORDER BY j.created_at DESC LIMIT $2::integer`, [mailerId, limit]);
    return rows.map(ordered);
  }

  async listByStatus(status: ListStatus): Promise<ListJob[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE j.status = $1::text ORDER BY j.created_at`, [status]);
    return rows.map(ordered);
  }

  /**
   * Starts (or restarts) a run; the snapshot time is taken once and kept across retries. The
   * progress is kept too: a retry's progress counts from where the last attempt's reached (see
   * setProgress), so that a mailer never sees it go back.
   */
  async markRunning(id: string): Promise<ListJob> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE list_jobs SET status = 'running', started_at = coalesce(started_at, now()),
         snapshot_at = coalesce(snapshot_at, ${snapshotTimeSql('list_jobs.category_id')}), attempts = attempts + 1, error = NULL
       WHERE id = $1::uuid RETURNING id`,
      [id],
    );
    if (rows.length === 0) throw new Error(`No list job ${id}`);
    return (await this.find(id))!;
  }

  /** The progress of a one-pass run; a retry starting again from 0 leaves it until it passes it. */
  async setProgress(id: string, rows: number, bytes: number): Promise<void> {
    await this.db.query(
      `UPDATE list_jobs SET rows_processed = greatest(rows_processed, $2::bigint), bytes_processed = greatest(bytes_processed, $3::bigint)
       WHERE id = $1::uuid AND status = 'running'`,
      [id, rows, bytes],
    );
  }

  async addProgress(id: string, rows: number, bytes: number): Promise<void> {
    await this.db.query(
      `UPDATE list_jobs SET rows_processed = rows_processed + $2::bigint, bytes_processed = bytes_processed + $3::bigint WHERE id = $1::uuid AND status = 'running'`,
      [id, rows, bytes],
    );
  }

  async complete(id: string, summary: ListSummary): Promise<void> {
    await this.db.query(
      `UPDATE list_jobs SET status = 'completed', summary = $2::jsonb, rows_in = $3::bigint, rows_kept = $4::bigint,
         rows_discarded = $5::bigint, discards = $6::jsonb, output_sha256 = $7::text, valid_until = $8::timestamptz,
         rows_processed = $3::bigint, bytes_processed = input_bytes, finished_at = $9::timestamptz, error = NULL
       WHERE id = $1::uuid`,
      [id, JSON.stringify(summary), summary.rows.in, summary.rows.kept, summary.rows.discarded, JSON.stringify(summary.rows.discardedByReason), summary.output.cleansedSha256, summary.validUntil, summary.finishedAt],
    );
  }

  /** False when the list had completed (a late failure of one of its jobs changes nothing). */
  async fail(id: string, message: string): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE list_jobs SET status = 'failed', error = $2::text, finished_at = now() WHERE id = $1::uuid AND status <> 'completed'`, [id, message]);
    return rowCount === 1;
  }

  /**
   * List jobs past retention whose files are still stored (purge-expired): finished ones, portal
   * drafts never started within it, and lists still queued or running since before it and since
   * before `stuckBefore` (a day ago): no list takes that long, so no job will finish them (`stuck`).
   */
  async expiredJobs(cutoff: Date, stuckBefore: Date): Promise<{ id: string; stuck: boolean }[]> {
    const { rows } = await this.db.query<{ id: string; stuck: boolean }>(
      `SELECT id::text AS id, status IN ('queued', 'running') AS stuck FROM list_jobs
        WHERE files_deleted_at IS NULL
          AND ((status IN ('completed', 'failed') AND finished_at < $1::timestamptz) OR (status = 'draft' AND created_at < $1::timestamptz)
               OR (status IN ('queued', 'running') AND coalesce(started_at, created_at) < least($1::timestamptz, $2::timestamptz)))
        ORDER BY coalesce(finished_at, created_at)`,
      [cutoff, stuckBefore],
    );
    return rows;
  }

  /** Fails a list only while it still has the status seen (a watchdog's sweep races nothing). */
  async failIfStatus(id: string, status: ListStatus, message: string): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE list_jobs SET status = 'failed', error = $3::text, finished_at = now() WHERE id = $1::uuid AND status = $2::text`, [id, status, message]);
    return rowCount === 1;
  }

  /**
   * A failed (or stranded) list queued to run again from its upload: its progress starts again
   * from 0, its snapshot is kept (markRunning keeps it, as for any retry).
   */
  async requeue(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE list_jobs SET status = 'queued', error = NULL, finished_at = NULL, rows_processed = 0, bytes_processed = 0
       WHERE id = $1::uuid AND status IN ('failed', 'queued', 'running')`,
      [id],
    );
    return rowCount === 1;
  }

  async markFilesDeleted(id: string): Promise<void> {
    await this.db.query(`UPDATE list_jobs SET files_deleted_at = coalesce(files_deleted_at, now()) WHERE id = $1::uuid`, [id]);
  }

}
