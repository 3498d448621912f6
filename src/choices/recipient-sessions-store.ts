import type { Queryable } from '../lib/db';

export interface RecipientSession {
  accessCodeId: number;
  deliveryPointId: number;
  lastReference: string | null;
  expiresAt: Date;
}

/** Web sessions of households that entered a valid code; keyed by the SHA-256 of the cookie token. */
export class RecipientSessionsStore {
  constructor(private readonly db: Queryable) {}

  async create(tokenHash: string, accessCodeId: number, deliveryPointId: number, expiresAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO recipient_sessions (token_hash, access_code_id, delivery_point_id, expires_at)
       VALUES ($1::text, $2::bigint, $3::bigint, $4::timestamptz)`,
      [tokenHash, accessCodeId, deliveryPointId, expiresAt],
    );
  }

  /** A live session whose code has not been revoked or expired since it was opened. */
  async findLive(tokenHash: string): Promise<RecipientSession | undefined> {
    const { rows } = await this.db.query<{
      access_code_id: number;
      delivery_point_id: number;
      last_reference: string | null;
      expires_at: Date;
    }>(
      `SELECT s.access_code_id, s.delivery_point_id, s.last_reference, s.expires_at
         FROM recipient_sessions s JOIN access_codes a ON a.id = s.access_code_id
        WHERE s.token_hash = $1::text AND s.expires_at > now() AND a.revoked_at IS NULL AND a.expires_at > now()`,
      [tokenHash],
    );
    const row = rows[0];
    return row
      ? { accessCodeId: row.access_code_id, deliveryPointId: row.delivery_point_id, lastReference: row.last_reference, expiresAt: row.expires_at }
      : undefined;
  }

  async setLastReference(tokenHash: string, reference: string): Promise<void> {
    await this.db.query('UPDATE recipient_sessions SET last_reference = $2::text WHERE token_hash = $1::text', [tokenHash, reference]);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.query('DELETE FROM recipient_sessions WHERE token_hash = $1::text', [tokenHash]);
  }

  async deleteExpired(): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM recipient_sessions WHERE expires_at <= now()');
    return rowCount;
  }
}
