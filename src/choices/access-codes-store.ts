import type { Queryable } from '../lib/db';

export interface AccessCodeRow {
  id: number;
  deliveryPointId: number;
  codeHash: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Printed for a lost-card request: the address's older code stays live until this one is first used. */
  awaitingFirstUse: boolean;
  /** The ZIP of the address the code was printed for (checked against what the household types). */
  zip5: string;
}

/** SQL for postcard codes (hash only) and the postcard batches that issue them. */
export class AccessCodesStore {
  constructor(private readonly db: Queryable) {}

  async createBatch(source: string): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>('INSERT INTO postcard_batches (source) VALUES ($1::text) RETURNING id', [source]);
    return rows[0]!.id;
  }

  async finishBatch(id: number, counts: { rowsIn: number; printed: number; rejected: number }): Promise<void> {
    await this.db.query(
      `UPDATE postcard_batches SET rows_in = $2::int, printed = $3::int, rejected = $4::int, finished_at = now()
        WHERE id = $1::bigint`,
      [id, counts.rowsIn, counts.printed, counts.rejected],
    );
  }

  /** Live codes of this address issued in this batch (the same address twice in one file). */
  async liveCodeInBatch(deliveryPointId: number, batchId: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'SELECT 1 FROM access_codes WHERE delivery_point_id = $1::bigint AND batch_id = $2::bigint AND revoked_at IS NULL',
      [deliveryPointId, batchId],
    );
    return rowCount > 0;
  }

  /**
   * Revokes the address's live codes (or only the one awaiting first use); call under the
   * delivery point's row lock.
   */
  async revokeLive(deliveryPointId: number, options: { awaitingOnly?: boolean } = {}): Promise<number> {
    const { rowCount } = await this.db.query(
      'UPDATE access_codes SET revoked_at = now() WHERE delivery_point_id = $1::bigint AND revoked_at IS NULL AND (awaiting_first_use OR NOT $2::boolean)',
      [deliveryPointId, options.awaitingOnly ?? false],
    );
    return rowCount;
  }

  /** A code awaiting first use becomes the address's code: the older one ends. Call under the delivery point's row lock. */
  async takeOver(id: number, deliveryPointId: number): Promise<void> {
    await this.db.query('UPDATE access_codes SET revoked_at = now() WHERE delivery_point_id = $1::bigint AND revoked_at IS NULL AND NOT awaiting_first_use', [deliveryPointId]);
    await this.db.query('UPDATE access_codes SET awaiting_first_use = false WHERE id = $1::bigint AND revoked_at IS NULL', [id]);
  }

  async insert(code: { deliveryPointId: number; codeHash: string; batchId: number | null; expiresAt: Date; awaitingFirstUse?: boolean }): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO access_codes (delivery_point_id, code_hash, batch_id, expires_at, awaiting_first_use)
       VALUES ($1::bigint, $2::text, $3::bigint, $4::timestamptz, $5::boolean) RETURNING id`,
      [code.deliveryPointId, code.codeHash, code.batchId, code.expiresAt, code.awaitingFirstUse ?? false],
    );
    return rows[0]!.id;
  }

  async findByHash(codeHash: string): Promise<AccessCodeRow | undefined> {
    const { rows } = await this.db.query<{
      id: number;
      delivery_point_id: number;
      code_hash: string;
      issued_at: Date;
      expires_at: Date;
      revoked_at: Date | null;
      awaiting_first_use: boolean;
      zip5: string;
    }>(
      `SELECT a.id, a.delivery_point_id, a.code_hash, a.issued_at, a.expires_at, a.revoked_at, a.awaiting_first_use, d.zip5
         FROM access_codes a JOIN delivery_points d ON d.id = a.delivery_point_id
        WHERE a.code_hash = $1::text`,
      [codeHash],
      { prepare: 'access-codes.find-by-hash-2' },
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          deliveryPointId: row.delivery_point_id,
          codeHash: row.code_hash,
          issuedAt: row.issued_at,
          expiresAt: row.expires_at,
          revokedAt: row.revoked_at,
          awaitingFirstUse: row.awaiting_first_use,
          zip5: row.zip5,
        }
      : undefined;
  }

  async isLive(id: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'SELECT 1 FROM access_codes WHERE id = $1::bigint AND revoked_at IS NULL AND expires_at > now()',
      [id],
      { prepare: 'access-codes.is-live' },
    );
    return rowCount === 1;
  }

  /** Deletes codes past their expiry; the choices they were used for keep their events. */
  async deleteExpired(now: Date): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM access_codes WHERE expires_at < $1::timestamptz', [now]);
    return rowCount;
  }

  async countLive(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM access_codes WHERE revoked_at IS NULL');
    return rows[0]!.n;
  }
}
