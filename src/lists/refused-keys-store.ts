import type { Db } from '../lib/db';

/**
 * The read side of households' choices that a cleanse needs: for one category, every delivery
 * point whose latest choice at the snapshot time was "refuses". Read from the append-only events
 * (not the current-state table), so a choice recorded after the snapshot is not seen, even
 * when a job is retried hours later.
 */
export class RefusedKeysStore {
  constructor(private readonly db: Db) {}

  async snapshotTime(): Promise<Date> {
    const { rows } = await this.db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    return rows[0]!.now;
  }

  /**
   * Streams the refused keys, with the time of the choice in whole epoch seconds, a page at a
   * time. One statement read through a cursor: the events are scanned once, and each refused
   * point's key is fetched by its primary key as the rows stream out (a keyset-paged query
   * re-planned per page scanned the whole delivery_points table once a page).
   */
  async forEachRefused(categoryId: number, at: Date, onPage: (rows: { key: string; at: number }[]) => void, pageSize = 50_000): Promise<number> {
    return this.db.withTransaction(async (client) => {
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
      let total = 0;
      for (;;) {
        // FETCH takes no parameters; pageSize is a number we chose.
        const { rows } = await client.query<{ key: string; at: number }>(`FETCH ${Math.floor(pageSize)} FROM refused_keys`);
        total += rows.length;
        if (rows.length > 0) onPage(rows);
        if (rows.length < pageSize) return total;
      }
    });
  }
}
