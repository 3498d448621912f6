import type { Queryable } from '../lib/db';

export interface WebhookSettingsRow {
  mailerId: number;
  url: string;
  /** The signing secret, sealed (lib/sealed-secret.ts). */
  sealedSecret: string;
  createdAt: Date;
  updatedAt: Date;
  secretRotatedAt: Date;
}

const COLUMNS = `mailer_id AS "mailerId", url, sealed_secret AS "sealedSecret", created_at AS "createdAt", updated_at AS "updatedAt", secret_rotated_at AS "secretRotatedAt"`;

/** mailer_webhooks: one webhook per mailer (mailers/ owns it). */
export class WebhookSettingsStore {
  constructor(private readonly db: Queryable) {}

  async find(mailerId: number): Promise<WebhookSettingsRow | undefined> {
    const { rows } = await this.db.query<WebhookSettingsRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM mailer_webhooks WHERE mailer_id = $1::integer`, [mailerId]);
    return rows[0];
  }

  /** Creates the webhook with its secret; false when the mailer has one already. */
  async insert(mailerId: number, url: string, sealedSecret: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO mailer_webhooks (mailer_id, url, sealed_secret) VALUES ($1::integer, $2::text, $3::text) ON CONFLICT (mailer_id) DO NOTHING`,
      [mailerId, url, sealedSecret],
    );
    return rowCount === 1;
  }

  async setUrl(mailerId: number, url: string): Promise<void> {
    await this.db.query(`UPDATE mailer_webhooks SET url = $2::text, updated_at = now() WHERE mailer_id = $1::integer`, [mailerId, url]);
  }

  /** False when the mailer has no webhook. */
  async setSecret(mailerId: number, sealedSecret: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE mailer_webhooks SET sealed_secret = $2::text, secret_rotated_at = now(), updated_at = now() WHERE mailer_id = $1::integer`,
      [mailerId, sealedSecret],
    );
    return rowCount === 1;
  }

  async delete(mailerId: number): Promise<boolean> {
    const { rowCount } = await this.db.query(`DELETE FROM mailer_webhooks WHERE mailer_id = $1::integer`, [mailerId]);
    return rowCount === 1;
  }
}
