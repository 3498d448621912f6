import type { Db, DbClient } from '../../lib/db';

/**
 * The read side of households' choices that a cleanse needs: for one category, every delivery
 * point whose latest choice at the snapshot time was "refuses". Read from the append-only events
 * (not the current-state table), so a choice recorded after the snapshot is not seen, even
 * when a job is retried hours later.
 */
/** SQL for the snapshot time of a category given as an SQL expression (see snapshotTime). */
export const snapshotTimeSql = (category: string) => `greatest(clock_timestamp(), (SELECT max(e.at) FROM preference_events e WHERE e.category_id = ${category}))`;

export class RefusedKeysStore {
  constructor(private readonly db: Db) {}

  /**
   * A job's snapshot time for a category: now, or the time of the category's latest recorded
   * choice if that is later. Choice times come from the server's clock; should it step back, a
   * choice recorded a moment ago could carry a time after "now" and miss the job it precedes.
   */
  async snapshotTime(categoryId: number): Promise<Date> {
    const { rows } = await this.db.query<{ now: Date }>(`SELECT ${snapshotTimeSql('$1::integer')} AS now`, [categoryId]);
    return rows[0]!.now;
  }

  /**
   * Streams the refused keys, with the time of the choice in whole epoch seconds, a page at a
   * time. One statement read through a cursor: the events are scanned once, and each refused
   * point's key is fetched by its primary key as the rows stream out (a keyset-paged query
   * re-planned per page scanned the whole delivery_points table once a page).
   *
   * Also returns a watermark for reusing the set later (see RefusedSets): no event that this read
   * could not see will ever carry a time before it. It is the snapshot time, or the start of the
   * oldest transaction still open when the read began if that is earlier (an event's time is
   * taken while its transaction runs, so a transaction that commits after the read began wrote
   * times no earlier than its own start: preference_events.at is the column's default,
   * clock_timestamp(), and no writer sets it; one that did would break this). When another session's transaction start cannot be
   * seen (a role without pg_read_all_stats), the watermark is undefined: the set is not reusable.
   */
  async forEachRefused(categoryId: number, at: Date, onPage: (rows: { key: string; at: number }[]) => void, pageSize = 50_000): Promise<{ count: number; watermark?: Date }> {
    return this.db.withTransaction(async (client) => {
      const watermark = await watermarkBefore(client, at);
      await client.query(
        `DECLARE refused_keys NO SCROLL CURSOR FOR
         SELECT dp.key, floor(extract(epoch FROM latest.at))::bigint AS at
         FROM (
           SELECT DISTINCT ON (e.delivery_point_id) e.delivery_point_id, e.accepted, e.at
           FROM preference_events e
           WHERE e.category_id = $1::integer AND e.at <= $2::timestamptz
           ORDER BY e.delivery_point_id, e.at DESC, e.id DESC
         ) latest
         JOIN delivery_points dp ON dp.id = latest.delivery_point_id
         WHERE NOT latest.accepted`,
        [categoryId, at],
      );
      const count = await fetchAll(client, 'refused_keys', pageSize, onPage);
      return { count, watermark };
    });
  }

  /**
   * Every delivery point with a choice in the category recorded after `since` (by event time),
   * with its state at `at`: refusedAt is the refusal's time in epoch seconds, or 0 when the point
   * accepts at `at` (it changed back, or its first choice came later). What a set read at an
   * earlier snapshot needs to become the set at `at`.
   */
  async forEachChangedSince(categoryId: number, since: Date, at: Date, onPage: (rows: { key: string; refusedAt: number }[]) => void, pageSize = 50_000): Promise<{ count: number; watermark?: Date }> {
    return this.db.withTransaction(async (client) => {
      const watermark = await watermarkBefore(client, at);
      await client.query(
        `DECLARE changed_keys NO SCROLL CURSOR FOR
         SELECT dp.key, CASE WHEN latest.accepted = false THEN floor(extract(epoch FROM latest.at))::bigint ELSE 0 END AS "refusedAt"
         FROM (SELECT DISTINCT c.delivery_point_id FROM preference_events c WHERE c.category_id = $1::integer AND c.at >= $2::timestamptz) changed
         JOIN delivery_points dp ON dp.id = changed.delivery_point_id
         LEFT JOIN LATERAL (
           SELECT e.accepted, e.at FROM preference_events e
            WHERE e.category_id = $1::integer AND e.delivery_point_id = changed.delivery_point_id AND e.at <= $3::timestamptz
            ORDER BY e.at DESC, e.id DESC LIMIT 1
         ) latest ON true`,
        [categoryId, since, at],
      );
      return { count: await fetchAll(client, 'changed_keys', pageSize, onPage), watermark };
    });
  }
}

/**
 * The watermark of a read whose snapshot is taken by the next statement: `at`, or the start of
 * the oldest other transaction still open if earlier; undefined when some open transaction's
 * start is hidden from this role. (A transaction that starts after this query starts after `at`.)
 */
async function watermarkBefore(client: DbClient, at: Date): Promise<Date | undefined> {
  const { rows } = await client.query<{ oldest: Date | null; hidden: boolean | null }>(
    `SELECT min(xact_start) AS oldest, bool_or(xact_start IS NULL AND state IS DISTINCT FROM 'idle') AS hidden
       FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()`,
  );
  const { oldest, hidden } = rows[0] ?? { oldest: null, hidden: false };
  if (hidden) return undefined;
  return oldest && oldest < at ? oldest : at;
}

async function fetchAll<R extends Record<string, unknown>>(client: DbClient, cursor: string, pageSize: number, onPage: (rows: R[]) => void): Promise<number> {
  let total = 0;
  for (;;) {
    // FETCH takes no parameters; the cursor name and pageSize are ours.
    const { rows } = await client.query<R>(`FETCH ${Math.floor(pageSize)} FROM ${cursor}`);
    total += rows.length;
    if (rows.length > 0) onPage(rows);
    if (rows.length < pageSize) return total;
  }
}
