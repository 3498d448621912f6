import type { Queryable } from '../lib/db';

/**
 * The read side of households' choices that a cleanse needs: for one category, every delivery
 * point whose latest choice at the snapshot time was "refuses". Read from the append-only events
 * (not the current-state table), so a choice recorded after the snapshot is not seen, even
 * when a job is retried hours later.
 */
export class RefusedKeysStore {
  constructor(private readonly db: Queryable) {}

  async snapshotTime(): Promise<Date> {
    const { rows } = await this.db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    return rows[0]!.now;
  }

  /** Pages through the refused keys in delivery-point order, so memory holds one page at a time. */
  async forEachRefused(categoryId: number, at: Date, onPage: (rows: { key: string; at: Date }[]) => void, pageSize = 50_000): Promise<number> {
    let after = 0;
    let total = 0;
    for (;;) {
      const { rows } = await this.db.query<{ id: number; key: string; accepted: boolean; at: Date }>(
        `SELECT latest.delivery_point_id AS id, dp.key, latest.accepted, latest.at
         FROM (
           SELECT DISTINCT ON (e.delivery_point_id) e.delivery_point_id, e.accepted, e.at
           FROM preference_events e
           WHERE e.category_id = $1::integer AND e.at <= $2::timestamptz AND e.delivery_point_id > $3::bigint
           ORDER BY e.delivery_point_id, e.at DESC, e.id DESC
           LIMIT $4::integer
         ) latest
         JOIN delivery_points dp ON dp.id = latest.delivery_point_id
         ORDER BY latest.delivery_point_id`,
        [categoryId, at, after, pageSize],
      );
      if (rows.length === 0) return total;
      after = rows[rows.length - 1]!.id;
      const refused = rows.filter((row) => !row.accepted).map(({ key, at: when }) => ({ key, at: when }));
      total += refused.length;
      onPage(refused);
      if (rows.length < pageSize) return total;
    }
  }
}
