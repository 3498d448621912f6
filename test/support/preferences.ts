import { deliveryPointKey, type AddressInput } from '../../src/address/delivery-point-key';
import type { Queryable } from '../../src/lib/db';

/** Records a household's choice the way the recipient side does: an event plus the current state. */
export async function recordChoice(db: Queryable, address: AddressInput, slug: string, accepted: boolean): Promise<void> {
  const key = deliveryPointKey(address);
  if (!key.ok) throw new Error(`test address unreadable: ${key.message}`);
  const point = await db.query<{ id: number }>(
    `INSERT INTO delivery_points (key, line, city, state, zip5) VALUES ($1::text, $2::text, $3::text, $4::text, $5::text)
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
    [key.key, key.components.line, key.components.city, key.components.state, key.components.zip5],
  );
  const id = point.rows[0]!.id;
  const event = await db.query<{ id: number; at: Date }>(
    `INSERT INTO preference_events (delivery_point_id, category_id, accepted, previous, source, actor)
     SELECT $1::bigint, c.id, $3::boolean, (SELECT accepted FROM preferences p WHERE p.delivery_point_id = $1::bigint AND p.category_id = c.id), 'web', 'test'
       FROM categories c WHERE c.slug = $2::text RETURNING id, at`,
    [id, slug, accepted],
  );
  await db.query(
    `INSERT INTO preferences (delivery_point_id, category_id, accepted, updated_at, event_id)
     SELECT $1::bigint, c.id, $3::boolean, $4::timestamptz, $5::bigint FROM categories c WHERE c.slug = $2::text
     ON CONFLICT (delivery_point_id, category_id) DO UPDATE SET accepted = EXCLUDED.accepted, updated_at = EXCLUDED.updated_at, event_id = EXCLUDED.event_id`,
    [id, slug, accepted, event.rows[0]!.at, event.rows[0]!.id],
  );
}

/** The current choices at an address, as slug → accepted (absent = never answered, accepts). */
export async function choicesAt(db: Queryable, address: AddressInput): Promise<Record<string, boolean>> {
  const key = deliveryPointKey(address);
  if (!key.ok) throw new Error(key.message);
  const { rows } = await db.query<{ slug: string; accepted: boolean }>(
    `SELECT c.slug, p.accepted FROM preferences p JOIN delivery_points d ON d.id = p.delivery_point_id JOIN categories c ON c.id = p.category_id
      WHERE d.key = $1::text ORDER BY c.slug`,
    [key.key],
  );
  return Object.fromEntries(rows.map((row) => [row.slug, row.accepted]));
}
