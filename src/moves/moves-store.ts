import type { Db, Queryable } from '../lib/db';
import type { AddressComponents } from '../address/delivery-point-key';

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface MoveImport {
  id: number;
  originalName: string;
  fileKey: string;
  sha256: string;
  uploadedBy: string;
  uploadedAt: Date;
  status: ImportStatus;
  startedAt: Date | null;
  completedAt: Date | null;
  rowsIn: number | null;
  rowsApplied: number | null;
  rowsAlready: number | null;
  rowsRejected: number | null;
  choicesEnded: number | null;
  choicesCarried: number | null;
  rejectKey: string | null;
  error: string | null;
  filesPurgedAt: Date | null;
}

export interface MoveToApply {
  importId: number;
  line: number;
  fingerprint: string;
  oldKey: string;
  newKey: string | undefined;
  newComponents: AddressComponents | undefined;
  moveDate: string;
  moveType: 'individual' | 'family';
  choicesFollow: boolean;
  actor: string;
}

export type MoveOutcome = { status: 'applied'; ended: number; carried: number } | { status: 'already' };

const COLUMNS = `id, original_name AS "originalName", file_key AS "fileKey", sha256, uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt",
  status, started_at AS "startedAt", completed_at AS "completedAt", rows_in AS "rowsIn", rows_applied AS "rowsApplied",
  rows_already AS "rowsAlready", rows_rejected AS "rowsRejected", choices_ended AS "choicesEnded", choices_carried AS "choicesCarried",
  reject_key AS "rejectKey", error, files_purged_at AS "filesPurgedAt"`;

export class MovesStore {
  constructor(private readonly db: Db) {}

  async createImport(originalName: string, uploadedBy: string): Promise<MoveImport> {
    const { rows } = await this.db.query<MoveImport & Record<string, unknown>>(
      `INSERT INTO move_imports (original_name, file_key, sha256, uploaded_by) VALUES ($1::text, '', '', $2::text)
       RETURNING ${COLUMNS}`,
      [originalName, uploadedBy],
    );
    return rows[0]!;
  }

  async setFile(id: number, fileKey: string, sha256: string): Promise<void> {
    await this.db.query('UPDATE move_imports SET file_key = $2::text, sha256 = $3::text WHERE id = $1::int', [id, fileKey, sha256]);
  }

  async find(id: number): Promise<MoveImport | undefined> {
    const { rows } = await this.db.query<MoveImport & Record<string, unknown>>(`SELECT ${COLUMNS} FROM move_imports WHERE id = $1::int`, [id]);
    return rows[0];
  }

  async list(limit: number): Promise<MoveImport[]> {
    const { rows } = await this.db.query<MoveImport & Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM move_imports ORDER BY id DESC LIMIT $1::int`,
      [limit],
    );
    return rows;
  }

  async queuedIds(): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(`SELECT id FROM move_imports WHERE status = 'queued' AND file_key <> '' ORDER BY id`);
    return rows.map((row) => row.id);
  }

  async markRunning(id: number): Promise<void> {
    await this.db.query(`UPDATE move_imports SET status = 'running', started_at = now(), error = NULL WHERE id = $1::int`, [id]);
  }

  async markCompleted(id: number, counts: { rowsIn: number; applied: number; already: number; rejected: number; ended: number; carried: number }, rejectKey: string): Promise<void> {
    await this.db.query(
      `UPDATE move_imports SET status = 'completed', completed_at = now(), rows_in = $2::int, rows_applied = $3::int, rows_already = $4::int,
              rows_rejected = $5::int, choices_ended = $6::int, choices_carried = $7::int, reject_key = $8::text
        WHERE id = $1::int`,
      [id, counts.rowsIn, counts.applied, counts.already, counts.rejected, counts.ended, counts.carried, rejectKey],
    );
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db.query(`UPDATE move_imports SET status = 'failed', completed_at = now(), error = $2::text WHERE id = $1::int`, [id, error]);
  }

  /**
   * Records a move's fingerprint inside the caller's transaction; this makes re-imports
   * idempotent. `fresh` is false when the move was recorded before (by `importId`).
   */
  async recordMove(tx: Queryable, move: MoveToApply): Promise<{ id: number; importId: number; fresh: boolean }> {
    const { rows } = await tx.query<{ id: number; import_id: number; fresh: boolean }>(
      `INSERT INTO moves (fingerprint, import_id, line, old_key, new_key, move_date, move_type, choices_follow)
       VALUES ($1::text, $2::int, $3::int, $4::text, $5::text, $6::date, $7::text, $8::boolean)
       ON CONFLICT (fingerprint) DO UPDATE SET fingerprint = EXCLUDED.fingerprint
       RETURNING id, import_id, (xmax = 0) AS fresh`,
      [move.fingerprint, move.importId, move.line, move.oldKey, move.newKey ?? null, move.moveDate, move.moveType, move.choicesFollow],
    );
    const row = rows[0]!;
    return { id: row.id, importId: row.import_id, fresh: row.fresh };
  }

  /** Imports whose files are past retention and still on disk (purge-expired). */
  async expiredFiles(cutoff: Date): Promise<{ id: number; keys: string[] }[]> {
    const { rows } = await this.db.query<{ id: number; file_key: string; reject_key: string | null }>(
      `SELECT id, file_key, reject_key FROM move_imports
        WHERE status IN ('completed', 'failed') AND completed_at < $1::timestamptz AND files_purged_at IS NULL ORDER BY id`,
      [cutoff],
    );
    return rows.map((row) => ({ id: row.id, keys: [row.file_key, row.reject_key].filter((key): key is string => !!key) }));
  }

  async markFilesPurged(id: number): Promise<void> {
    await this.db.query('UPDATE move_imports SET files_purged_at = now() WHERE id = $1::int', [id]);
  }
}
