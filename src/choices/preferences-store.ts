import type { Queryable } from '../lib/db';
import type { AddressComponents } from '../address/delivery-point-key';

export type ChoiceSource = 'web' | 'card' | 'operator' | 'move';

export interface DeliveryPoint {
  id: number;
  key: string;
  line: string;
  city: string;
  state: string;
  zip5: string;
}

export interface CurrentChoice {
  categoryId: number;
  slug: string;
  name: string;
  active: boolean;
  /** null: the household never answered for this category (it accepts by default). */
  accepted: boolean | null;
  updatedAt: Date | null;
}

export interface PreferenceEvent {
  id: number;
  slug: string;
  name: string;
  accepted: boolean;
  previous: boolean | null;
  source: ChoiceSource;
  actor: string;
  reference: string | null;
  at: Date;
}

const POINT_COLUMNS = 'id, key, line, city, state, zip5';

/**
 * SQL for delivery points, preference events and current preferences. Works on the pool or on a
 * transaction's client: the service decides which (a submission is one transaction).
 */
export class PreferencesStore {
  constructor(private readonly db: Queryable) {}

  async findDeliveryPointByKey(key: string): Promise<DeliveryPoint | undefined> {
    const { rows } = await this.db.query<DeliveryPoint & Record<string, unknown>>(
      `SELECT ${POINT_COLUMNS} FROM delivery_points WHERE key = $1::text`,
      [key],
    );
    return rows[0];
  }

  async deliveryPoint(id: number): Promise<DeliveryPoint | undefined> {
    const { rows } = await this.db.query<DeliveryPoint & Record<string, unknown>>(
      `SELECT ${POINT_COLUMNS} FROM delivery_points WHERE id = $1::bigint`,
      [id],
    );
    return rows[0];
  }

  /** The delivery point's id, creating the row the first time the address is seen. */
  async upsertDeliveryPoint(key: string, components: AddressComponents): Promise<number> {
    // DO UPDATE (not DO NOTHING) so RETURNING gives the id of an existing row too.
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO delivery_points (key, line, city, state, zip5) VALUES ($1::text, $2::text, $3::text, $4::text, $5::text)
       ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
       RETURNING id`,
      [key, components.line, components.city, components.state, components.zip5],
    );
    return rows[0]!.id;
  }

  /**
   * Row lock on the delivery point: every writer of an address's choices takes it first, so two
   * submissions for one household run one after the other and each sees the other's result.
   */
  async lockDeliveryPoint(id: number): Promise<boolean> {
    const { rowCount } = await this.db.query('SELECT id FROM delivery_points WHERE id = $1::bigint FOR UPDATE', [id]);
    return rowCount === 1;
  }

  /** Active categories, and retired ones the household answered; `everyCategory` adds all retired ones. */
  async currentChoices(deliveryPointId: number, everyCategory = false): Promise<CurrentChoice[]> {
    const { rows } = await this.db.query<{
      category_id: number;
      slug: string;
      name: string;
      active: boolean;
      accepted: boolean | null;
      updated_at: Date | null;
    }>(
      `SELECT c.id AS category_id, c.slug, c.name, c.active, p.accepted, p.updated_at
         FROM categories c
         LEFT JOIN preferences p ON p.category_id = c.id AND p.delivery_point_id = $1::bigint
        WHERE c.active OR p.accepted IS NOT NULL OR $2::boolean
        ORDER BY c.sort_order, c.name`,
      [deliveryPointId, everyCategory],
    );
    return rows.map((row) => ({
      categoryId: row.category_id,
      slug: row.slug,
      name: row.name,
      active: row.active,
      accepted: row.accepted,
      updatedAt: row.updated_at,
    }));
  }

  /**
   * Appends a submission's events and sets the current state from them, in one statement
   * (unnest of arrays) whatever the number of categories: one round trip under the row lock.
   */
  async appendEvents(
    deliveryPointId: number,
    changes: { categoryId: number; accepted: boolean; previous: boolean | null }[],
    who: { source: ChoiceSource; actor: string; reference: string },
  ): Promise<Map<number, { id: number; at: Date }>> {
    // One statement: the events, then the current state from them (a data-modifying CTE).
    const { rows } = await this.db.query<{ id: number; category_id: number; at: Date }>(
      `WITH events AS (
         INSERT INTO preference_events (delivery_point_id, category_id, accepted, previous, source, actor, reference)
         SELECT $1::bigint, category_id, accepted, previous, $5::text, $6::text, $7::text
           FROM unnest($2::int[], $3::boolean[], $4::boolean[]) WITH ORDINALITY AS c (category_id, accepted, previous, n)
          ORDER BY n
         RETURNING id, category_id, accepted, at
       )
       INSERT INTO preferences (delivery_point_id, category_id, accepted, updated_at, event_id)
       SELECT $1::bigint, category_id, accepted, at, id FROM events
       ON CONFLICT (delivery_point_id, category_id)
       DO UPDATE SET accepted = EXCLUDED.accepted, updated_at = EXCLUDED.updated_at, event_id = EXCLUDED.event_id
       RETURNING event_id AS id, category_id, updated_at AS at`,
      [deliveryPointId, changes.map((c) => c.categoryId), changes.map((c) => c.accepted), changes.map((c) => c.previous), who.source, who.actor, who.reference],
    );
    return new Map(rows.map((row) => [row.category_id, { id: row.id, at: row.at }]));
  }

  async history(deliveryPointId: number): Promise<PreferenceEvent[]> {
    const { rows } = await this.db.query<{
      id: number;
      slug: string;
      name: string;
      accepted: boolean;
      previous: boolean | null;
      source: ChoiceSource;
      actor: string;
      reference: string | null;
      at: Date;
    }>(
      `SELECT e.id, c.slug, c.name, e.accepted, e.previous, e.source, e.actor, e.reference, e.at
         FROM preference_events e JOIN categories c ON c.id = e.category_id
        WHERE e.delivery_point_id = $1::bigint
        ORDER BY e.id`,
      [deliveryPointId],
    );
    return rows;
  }

  async lastChangeAt(deliveryPointId: number): Promise<Date | null> {
    const { rows } = await this.db.query<{ at: Date | null }>(
      'SELECT max(at) AS at FROM preference_events WHERE delivery_point_id = $1::bigint',
      [deliveryPointId],
    );
    return rows[0]?.at ?? null;
  }
}
