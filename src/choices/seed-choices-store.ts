import type { Queryable } from '../lib/db';
import { deliveryPointKey, type AddressInput } from '../address/delivery-point-key';

export interface SeedChoice {
  address: AddressInput;
  categorySlug: string;
  accepted: boolean;
  /** When the choice was made (defaults to now). */
  at?: Date;
  /** Who recorded it: an import file and row, an operator. */
  actor: string;
}

/**
 * Records choices without a postcard code: for the sample data, tests and benchmarks, until the
 * recipient-choices feature's own service (with codes and the web form) takes over. It follows
 * the shared schema's rule: an append-only event and the current state in one transaction.
 */
export class SeedChoicesStore {
  constructor(private readonly db: Queryable) {}

  /** Returns false (and records nothing) when the address has no delivery-point key. */
  async record(choice: SeedChoice): Promise<boolean> {
    const key = deliveryPointKey(choice.address);
    if (!key.ok) return false;
    const at = choice.at ?? new Date();
    await this.db.query(
      `WITH point AS (
         INSERT INTO delivery_points (key, line, city, state, zip5) VALUES ($1::text, $2::text, $3::text, $4::text, $5::text)
         ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id
       ), category AS (
         SELECT id FROM categories WHERE slug = $6::text
       ), previous AS (
         SELECT p.accepted FROM preferences p, point, category WHERE p.delivery_point_id = point.id AND p.category_id = category.id
       ), event AS (
         INSERT INTO preference_events (delivery_point_id, category_id, accepted, previous, source, actor, at)
         SELECT point.id, category.id, $7::boolean, (SELECT accepted FROM previous), 'operator', $8::text, $9::timestamptz FROM point, category
         RETURNING id, delivery_point_id, category_id, accepted, at
       )
       INSERT INTO preferences (delivery_point_id, category_id, accepted, updated_at, event_id)
       SELECT delivery_point_id, category_id, accepted, at, id FROM event
       ON CONFLICT (delivery_point_id, category_id) DO UPDATE
         SET accepted = EXCLUDED.accepted, updated_at = EXCLUDED.updated_at, event_id = EXCLUDED.event_id`,
      [key.key, key.components.line, key.components.city, key.components.state, key.components.zip5, choice.categorySlug, choice.accepted, choice.actor, at],
    );
    return true;
  }

  async hasAnyChoice(): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM preference_events LIMIT 1');
    return rows.length > 0;
  }
}
