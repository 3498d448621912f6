import type { Queryable } from '../lib/db';

/**
 * Expired data owned by other features, read defensively: a table that does not exist (yet) in
 * this database is skipped, so purge-expired runs whichever features are installed.
 */
export class PurgeStore {
  constructor(private readonly db: Queryable) {}

  async tableExists(name: string): Promise<boolean> {
    const { rows } = await this.db.query<{ found: boolean }>('SELECT to_regclass($1::text) IS NOT NULL AS found', [name]);
    return rows[0]!.found;
  }

  /**
   * Finished list jobs past retention whose files are still stored (files under lists/<id>/), and
   * portal drafts never started within it.
   */
  async expiredListJobs(cutoff: Date): Promise<string[]> {
    if (!(await this.tableExists('list_jobs'))) return [];
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id::text AS id FROM list_jobs
        WHERE files_deleted_at IS NULL
          AND ((status IN ('completed', 'failed') AND finished_at < $1::timestamptz) OR (status = 'draft' AND created_at < $1::timestamptz))
        ORDER BY coalesce(finished_at, created_at)`,
      [cutoff],
    );
    return rows.map((row) => row.id);
  }

  async markListJobFilesDeleted(id: string): Promise<void> {
    await this.db.query('UPDATE list_jobs SET files_deleted_at = now() WHERE id::text = $1::text', [id]);
  }

  /** Deletes postcard codes past their expiry; the choices they were used for keep their events. */
  async deleteExpiredAccessCodes(now: Date): Promise<number> {
    if (!(await this.tableExists('access_codes'))) return 0;
    // A household's web session points at the code it was opened with: it goes with the code.
    if (await this.tableExists('recipient_sessions')) {
      await this.db.query(
        'DELETE FROM recipient_sessions WHERE access_code_id IN (SELECT id FROM access_codes WHERE expires_at < $1::timestamptz)',
        [now],
      );
    }
    const { rowCount } = await this.db.query('DELETE FROM access_codes WHERE expires_at < $1::timestamptz', [now]);
    return rowCount;
  }

  async deleteExpiredOperatorSessions(now: Date): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM operator_sessions WHERE expires_at < $1::timestamptz', [now]);
    return rowCount;
  }
}
