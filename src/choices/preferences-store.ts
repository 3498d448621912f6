import type { Queryable } from '../lib/db';
import type { AddressComponents } from '../address/delivery-point-key';

export type ChoiceSource = 'web' | 'card' | 'operator' | 'move' | 'load';

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
  description: string;
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

/** A category a household has answered, as a move finds it at the address it leaves. */
export interface HeldChoice {
  categoryId: number;
  slug: string;
  accepted: boolean;
}

/** One requested category of a submission, and the event written for it (null: unchanged, or refused). */
export interface RecordedChange {
  slug: string;
  /** null: no category has this slug. */
  categoryId: number | null;
  active: boolean | null;
  previous: boolean | null;
  accepted: boolean;
  event: { id: number; at: Date } | null;
  /** false: the access code the submission was made with is no longer live; nothing was written. */
  codeLive: boolean;
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
    const { rowCount } = await this.db.query('SELECT id FROM delivery_points WHERE id = $1::bigint FOR UPDATE', [id], { prepare: 'preferences.lock-delivery-point' });
    return rowCount === 1;
  }

  /**
   * Locks the delivery point at `key` (the same row lock every writer of choices takes, so a move
   * and a web submission for one address cannot interleave) and reads its answered choices.
   */
  async lockChoicesAt(key: string): Promise<{ deliveryPointId: number; choices: HeldChoice[] } | undefined> {
    const point = await this.db.query<{ id: number }>('SELECT id FROM delivery_points WHERE key = $1::text FOR UPDATE', [key]);
    if (point.rows.length === 0) return undefined;
    const deliveryPointId = point.rows[0]!.id;
    const { rows } = await this.db.query<{ category_id: number; slug: string; accepted: boolean }>(
      `SELECT p.category_id, c.slug, p.accepted FROM preferences p JOIN categories c ON c.id = p.category_id
        WHERE p.delivery_point_id = $1::bigint ORDER BY p.category_id`,
      [deliveryPointId],
    );
    return { deliveryPointId, choices: rows.map((row) => ({ categoryId: row.category_id, slug: row.slug, accepted: row.accepted })) };
  }

  /**
   * Ends these choices at the delivery point: an event back to "never answered" (accepts) for each,
   * and its current state deleted. The caller holds the delivery point's lock (lockChoicesAt).
   */
  async endChoices(deliveryPointId: number, choices: HeldChoice[], who: { source: ChoiceSource; actor: string; reference: string }): Promise<number> {
    for (const choice of choices) {
      await this.db.query(
        `INSERT INTO preference_events (delivery_point_id, category_id, accepted, previous, source, actor, reference)
         VALUES ($1::bigint, $2::int, true, $3::boolean, $4::text, $5::text, $6::text)`,
        [deliveryPointId, choice.categoryId, choice.accepted, who.source, who.actor, who.reference],
      );
      await this.db.query('DELETE FROM preferences WHERE delivery_point_id = $1::bigint AND category_id = $2::int', [deliveryPointId, choice.categoryId]);
    }
    return choices.length;
  }

  /** Active categories, and retired ones the household answered; `everyCategory` adds all retired ones. */
  async currentChoices(deliveryPointId: number, everyCategory = false): Promise<CurrentChoice[]> {
    const { rows } = await this.db.query<{
      category_id: number;
      slug: string;
      name: string;
      description: string;
      active: boolean;
      accepted: boolean | null;
      updated_at: Date | null;
    }>(
      `SELECT c.id AS category_id, c.slug, c.name, c.description, c.active, p.accepted, p.updated_at
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
      description: row.description,
      active: row.active,
      accepted: row.accepted,
      updatedAt: row.updated_at,
    }));
  }

  /**
   * Records a submission in one statement (migrations/0006_record_choice_changes.sql): takes the
   * delivery point's row lock, then reads each category's current state, appends an event for each
   * one that changes (previous → new) and sets the current state from those events. On the pool it
   * is its own transaction, one round trip including the commit; on a transaction's client it joins
   * that transaction. Nothing is written when a slug is unknown, a category is retired while
   * `activeOnly`, or `accessCodeId` is given and that code is no longer live for this address;
   * the rows say which. One row per requested slug, in the order given; `undefined` when there is
   * no such delivery point.
   */
  async recordChanges(
    deliveryPointId: number,
    choices: { slug: string; accepted: boolean }[],
    who: { source: ChoiceSource; actor: string; reference: string },
    guard: { activeOnly: boolean; accessCodeId: number | null },
  ): Promise<RecordedChange[] | undefined> {
    const { rows } = await this.db.query<{
      slug: string;
      category_id: number | null;
      active: boolean | null;
      previous: boolean | null;
      accepted: boolean;
      event_id: number | null;
      at: Date | null;
      code_live: boolean;
    }>(
      `SELECT slug, category_id, active, previous, accepted, event_id, at, code_live
         FROM record_choice_changes($1::bigint, $2::text[], $3::boolean[], $4::text, $5::text, $6::text, $7::boolean, $8::bigint)`,
      [
        deliveryPointId,
        choices.map((c) => c.slug),
        choices.map((c) => c.accepted),
        who.source,
        who.actor,
        who.reference,
        guard.activeOnly,
        guard.accessCodeId,
      ],
      { prepare: 'preferences.record-changes' },
    );
    if (rows.length === 0 && choices.length > 0) return undefined;
    return rows.map((row) => ({
      slug: row.slug,
      categoryId: row.category_id,
      active: row.active,
      previous: row.previous,
      accepted: row.accepted,
      event: row.event_id === null ? null : { id: row.event_id, at: row.at! },
      codeLive: row.code_live,
    }));
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

  /**
   * The national loader's writes (src/choices/store-load-service.ts), from its staging table
   * `store_load_rows` (store-load-store.ts) in the loader's one transaction.
   *
   * Takes the row lock of every delivery point of the file that exists already, in id order: the
   * lock every writer of an address's choices takes first (record_choice_changes), so a household
   * submitting meanwhile is either seen by the statements below or waits for the load.
   */
  async lockStagedPoints(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT dp.id FROM delivery_points dp JOIN store_load_rows s ON s.key = dp.key WHERE s.choices IS NOT NULL ORDER BY dp.id FOR UPDATE OF dp
       ) locked`,
    );
    return Number(rows[0]!.n);
  }

  /** New delivery points, each key once (its first line's spelling); existing ones are left as they are. */
  async insertStagedPoints(): Promise<number> {
    const { rowCount } = await this.db.query(
      `INSERT INTO delivery_points (key, line, city, state, zip5, key_hash)
       SELECT DISTINCT ON (key) key, street, city, state, zip5, key_hash FROM store_load_rows ORDER BY key, line
       ON CONFLICT (key) DO NOTHING`,
    );
    return rowCount;
  }

  /**
   * The file's choices as events (source 'load', actor `load:<sha256 prefix>:line:<N>`, reference
   * `load-<id>`) and current state. Where one delivery point has several lines the last line's
   * choice for a category is the one recorded. A choice is written only where it changes the
   * state, and only over no answer or an earlier load's: a household's own choice (form, card,
   * move, operator) is never overwritten by a file. So loading the same file twice writes nothing
   * the second time.
   */
  async recordStagedChoices(categoryIds: number[], loadId: number, sha256: string): Promise<number> {
    const { rowCount } = await this.db.query(
      `WITH wanted AS (
         SELECT DISTINCT ON (dp.id, c.category_id) dp.id AS point, c.category_id, c.accepted, s.line
           FROM store_load_rows s
           JOIN delivery_points dp ON dp.key = s.key
           CROSS JOIN LATERAL unnest($1::integer[], s.choices) AS c (category_id, accepted)
          WHERE s.choices IS NOT NULL AND c.accepted IS NOT NULL
          ORDER BY dp.id, c.category_id, s.line DESC
       ), changes AS (
         SELECT w.point, w.category_id, w.accepted, w.line, p.accepted AS previous
           FROM wanted w
           LEFT JOIN preferences p ON p.delivery_point_id = w.point AND p.category_id = w.category_id
           LEFT JOIN preference_events e ON e.id = p.event_id
          WHERE p.accepted IS NULL OR (p.accepted <> w.accepted AND e.source = 'load')
       ), events AS (
         INSERT INTO preference_events (delivery_point_id, category_id, accepted, previous, source, actor, reference)
         SELECT point, category_id, accepted, previous, 'load', $2::text || line, $3::text FROM changes ORDER BY point, category_id
         RETURNING id, delivery_point_id, category_id, accepted, at
       )
       INSERT INTO preferences (delivery_point_id, category_id, accepted, updated_at, event_id)
       SELECT delivery_point_id, category_id, accepted, at, id FROM events
       ON CONFLICT (delivery_point_id, category_id)
       DO UPDATE SET accepted = EXCLUDED.accepted, updated_at = EXCLUDED.updated_at, event_id = EXCLUDED.event_id`,
      [categoryIds, `load:${sha256.slice(0, 12)}:line:`, `load-${loadId}`],
    );
    return rowCount;
  }
}
