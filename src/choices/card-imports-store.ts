import type { Queryable } from '../lib/db';

export interface CardImport {
  id: number;
  sha256: string;
  fileName: string;
  status: 'running' | 'done' | 'failed';
  rowsIn: number;
  applied: number;
  rejected: number;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface CardImportRow {
  line: number;
  outcome: 'applied' | 'rejected';
  reason: string | null;
  message: string | null;
  codeHint: string | null;
  reference: string | null;
}

/** SQL for returned-card imports: one row per file (by SHA-256) and one per line of it. */
export class CardImportsStore {
  constructor(private readonly db: Queryable) {}

  /** The import of this file: the earlier one if the same bytes were seen before, else a new one. */
  async findOrCreate(sha256: string, fileName: string): Promise<{ record: CardImport; created: boolean }> {
    const inserted = await this.db.query<{ id: number }>(
      `INSERT INTO card_imports (sha256, file_name) VALUES ($1::text, $2::text) ON CONFLICT (sha256) DO NOTHING RETURNING id`,
      [sha256, fileName],
    );
    const { rows } = await this.db.query<{
      id: number;
      sha256: string;
      file_name: string;
      status: CardImport['status'];
      rows_in: number;
      applied: number;
      rejected: number;
      started_at: Date;
      finished_at: Date | null;
    }>('SELECT id, sha256, file_name, status, rows_in, applied, rejected, started_at, finished_at FROM card_imports WHERE sha256 = $1::text', [sha256]);
    const row = rows[0]!;
    return {
      created: inserted.rowCount === 1,
      record: {
        id: row.id,
        sha256: row.sha256,
        fileName: row.file_name,
        status: row.status,
        rowsIn: row.rows_in,
        applied: row.applied,
        rejected: row.rejected,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
      },
    };
  }

  async doneLines(importId: number): Promise<Set<number>> {
    const { rows } = await this.db.query<{ line: number }>('SELECT line FROM card_import_rows WHERE import_id = $1::bigint', [importId]);
    return new Set(rows.map((row) => row.line));
  }

  async recordRow(importId: number, row: CardImportRow): Promise<void> {
    await this.db.query(
      `INSERT INTO card_import_rows (import_id, line, outcome, reason, message, code_hint, reference)
       VALUES ($1::bigint, $2::int, $3::text, $4::text, $5::text, $6::text, $7::text)${
         // A rejected line recorded twice (two attempts at once) is the same reject; an applied one
         // must fail, so that its transaction does not record the choices a second time.
         row.outcome === 'rejected' ? ' ON CONFLICT (import_id, line) DO NOTHING' : ''
       }`,
      [importId, row.line, row.outcome, row.reason, row.message, row.codeHint, row.reference],
    );
  }

  async rows(importId: number): Promise<CardImportRow[]> {
    const { rows } = await this.db.query<{
      line: number;
      outcome: CardImportRow['outcome'];
      reason: string | null;
      message: string | null;
      code_hint: string | null;
      reference: string | null;
    }>('SELECT line, outcome, reason, message, code_hint, reference FROM card_import_rows WHERE import_id = $1::bigint ORDER BY line', [importId]);
    return rows.map((row) => ({ line: row.line, outcome: row.outcome, reason: row.reason, message: row.message, codeHint: row.code_hint, reference: row.reference }));
  }

  async finish(importId: number, status: 'done' | 'failed', counts: { rowsIn: number; applied: number; rejected: number }, error?: string): Promise<void> {
    await this.db.query(
      `UPDATE card_imports SET status = $2::text, rows_in = $3::int, applied = $4::int, rejected = $5::int, error = $6::text, finished_at = now()
        WHERE id = $1::bigint`,
      [importId, status, counts.rowsIn, counts.applied, counts.rejected, error ?? null],
    );
  }
}
