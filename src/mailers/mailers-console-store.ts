import type { Queryable } from '../lib/db';

export interface MailerKey {
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface MailerListJob {
  id: string;
  listName: string;
  category: string;
  status: string;
  rowsIn: number | null;
  rowsKept: number | null;
  rowsDiscarded: number | null;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
  /** Its upload and outputs have been deleted (by the mailer or the purge): it cannot be run again. */
  filesDeleted: boolean;
}

/** Read-only views of the mailers feature's tables for the console (writes go through MailersService). */
export class MailersConsoleStore {
  constructor(private readonly db: Queryable) {}

  async mailer(id: number): Promise<{ id: number; name: string; active: boolean; createdAt: Date } | undefined> {
    const { rows } = await this.db.query<{ id: number; name: string; active: boolean; createdAt: Date }>(
      `SELECT id, name, active, created_at AS "createdAt" FROM mailers WHERE id = $1::int`,
      [id],
    );
    return rows[0];
  }

  async keys(mailerId: number): Promise<MailerKey[]> {
    const { rows } = await this.db.query<MailerKey & Record<string, unknown>>(
      `SELECT prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM api_keys WHERE mailer_id = $1::int ORDER BY created_at DESC`,
      [mailerId],
    );
    return rows;
  }

  async keyOwner(prefix: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ mailer_id: number }>('SELECT mailer_id FROM api_keys WHERE prefix = $1::text', [prefix]);
    return rows[0]?.mailer_id;
  }

  async listJobs(mailerId: number, limit: number): Promise<MailerListJob[]> {
    const { rows } = await this.db.query<MailerListJob & Record<string, unknown>>(
      `SELECT j.id::text AS id, j.list_name AS "listName", c.slug AS category, j.status, j.rows_in AS "rowsIn", j.rows_kept AS "rowsKept",
              j.rows_discarded AS "rowsDiscarded", j.created_at AS "createdAt", j.finished_at AS "finishedAt", j.error,
              j.files_deleted_at IS NOT NULL AS "filesDeleted"
         FROM list_jobs j JOIN categories c ON c.id = j.category_id
        WHERE j.mailer_id = $1::int ORDER BY j.created_at DESC LIMIT $2::int`,
      [mailerId, limit],
    );
    return rows;
  }
}
