import type { Queryable } from '../lib/db';

export interface Mailer {
  id: number;
  name: string;
  active: boolean;
  createdAt: Date;
}

export interface ApiKeyRow {
  id: number;
  mailerId: number;
  prefix: string;
  hash: string;
  revokedAt: Date | null;
  mailerName: string;
  mailerActive: boolean;
}

export class MailersStore {
  constructor(private readonly db: Queryable) {}

  async insertMailer(name: string): Promise<Mailer | undefined> {
    const { rows } = await this.db.query<Mailer & Record<string, unknown>>(
      `INSERT INTO mailers (name) VALUES ($1::text) ON CONFLICT (name) DO NOTHING
       RETURNING id, name, active, created_at AS "createdAt"`,
      [name],
    );
    return rows[0];
  }

  async findMailerByName(name: string): Promise<Mailer | undefined> {
    const { rows } = await this.db.query<Mailer & Record<string, unknown>>(
      `SELECT id, name, active, created_at AS "createdAt" FROM mailers WHERE name = $1::text`,
      [name],
    );
    return rows[0];
  }

  async listMailers(): Promise<(Mailer & { activeKeys: number })[]> {
    const { rows } = await this.db.query<Mailer & { activeKeys: number } & Record<string, unknown>>(
      `SELECT m.id, m.name, m.active, m.created_at AS "createdAt",
              count(k.id) FILTER (WHERE k.revoked_at IS NULL) AS "activeKeys"
       FROM mailers m LEFT JOIN api_keys k ON k.mailer_id = m.id
       GROUP BY m.id ORDER BY m.name`,
    );
    return rows;
  }

  async insertKey(mailerId: number, prefix: string, hash: string): Promise<void> {
    await this.db.query(`INSERT INTO api_keys (mailer_id, prefix, hash) VALUES ($1::integer, $2::text, $3::text)`, [mailerId, prefix, hash]);
  }

  async findKeyByPrefix(prefix: string): Promise<ApiKeyRow | undefined> {
    const { rows } = await this.db.query<ApiKeyRow & Record<string, unknown>>(
      `SELECT k.id, k.mailer_id AS "mailerId", k.prefix, k.hash, k.revoked_at AS "revokedAt",
              m.name AS "mailerName", m.active AS "mailerActive"
       FROM api_keys k JOIN mailers m ON m.id = k.mailer_id WHERE k.prefix = $1::text`,
      [prefix],
    );
    return rows[0];
  }

  /** Returns false when there is no such key. Revoking twice keeps the first time. */
  async revokeKey(prefix: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE prefix = $1::text`,
      [prefix],
    );
    return rowCount > 0;
  }

  async touchKey(id: number): Promise<void> {
    // At most one write a minute per key: last_used_at is for operators, not an audit log.
    await this.db.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1::integer AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
