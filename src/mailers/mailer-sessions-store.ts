import type { Queryable } from '../lib/db';

export interface SessionIdentity {
  mailerId: number;
  mailerName: string;
  keyPrefix: string;
}

export class MailerSessionsStore {
  constructor(private readonly db: Queryable) {}

  async insert(tokenHash: string, apiKeyPrefix: string, expiresAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO mailer_sessions (token_hash, api_key_id, expires_at)
       SELECT $1::text, id, $3::timestamptz FROM api_keys WHERE prefix = $2::text`,
      [tokenHash, apiKeyPrefix, expiresAt],
    );
  }

  /** The session's mailer while the session is live, its key unrevoked and the mailer active. */
  async findLive(tokenHash: string): Promise<SessionIdentity | undefined> {
    const { rows } = await this.db.query<SessionIdentity & Record<string, unknown>>(
      `SELECT m.id AS "mailerId", m.name AS "mailerName", k.prefix AS "keyPrefix"
       FROM mailer_sessions s JOIN api_keys k ON k.id = s.api_key_id JOIN mailers m ON m.id = k.mailer_id
       WHERE s.token_hash = $1::text AND s.expires_at > now() AND k.revoked_at IS NULL AND m.active`,
      [tokenHash],
    );
    return rows[0];
  }

  /** Sessions past their expiry (findLive already ignores them; purge-expired removes the rows). */
  async deleteExpired(now: Date): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM mailer_sessions WHERE expires_at < $1::timestamptz', [now]);
    return rowCount;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.query('DELETE FROM mailer_sessions WHERE token_hash = $1::text', [tokenHash]);
  }
}
