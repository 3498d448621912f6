import type { Queryable } from '../../lib/db';

/** One attempt to deliver a list's webhook event: when, to where, and what came back. */
export interface WebhookDelivery {
  event: 'list.completed' | 'list.failed';
  attempt: number;
  url: string;
  attemptedAt: Date;
  /** The HTTP status the receiver answered, or null when there was no answer (see error). */
  statusCode: number | null;
  /** Why the attempt failed without an answer (refused address, timeout, connection refused), or null. */
  error: string | null;
  durationMs: number;
  delivered: boolean;
}

/** list_webhook_deliveries: every attempt of every list's webhook event (lists/ owns it). */
export class WebhookDeliveriesStore {
  constructor(private readonly db: Queryable) {}

  async insert(listId: string, delivery: WebhookDelivery): Promise<void> {
    await this.db.query(
      `INSERT INTO list_webhook_deliveries (list_id, event, attempt, url, attempted_at, status_code, error, duration_ms, delivered)
       VALUES ($1::uuid, $2::text, $3::integer, $4::text, $5::timestamptz, $6::integer, $7::text, $8::integer, $9::boolean)`,
      [listId, delivery.event, delivery.attempt, delivery.url, delivery.attemptedAt, delivery.statusCode, delivery.error, delivery.durationMs, delivery.delivered],
    );
  }

  /** A list's attempts, oldest first. */
  async forList(listId: string): Promise<WebhookDelivery[]> {
    const { rows } = await this.db.query<WebhookDelivery & Record<string, unknown>>(
      `SELECT event, attempt, url, attempted_at AS "attemptedAt", status_code AS "statusCode", error, duration_ms AS "durationMs", delivered
         FROM list_webhook_deliveries WHERE list_id = $1::uuid ORDER BY id`,
      [listId],
    );
    return rows;
  }
}
