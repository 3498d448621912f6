import { RefusalIndexStore } from '../../choices/refusal-index-store';
import type { Db, DbClient } from '../../lib/db';
import type { RefusalLookup } from '../cleanse';

/**
 * The read side of households' choices that a cleanse needs: for one category, every delivery
 * point whose latest choice at the snapshot time was "refuses". Read from the append-only events
 * (not the current-state table), so a choice recorded after the snapshot is not seen, even
 * when a job is retried hours later.
 */
/** SQL for the snapshot time of a category given as an SQL expression (see snapshotTime). */
export const snapshotTimeSql = (category: string) => `greatest(clock_timestamp(), (SELECT max(e.at) FROM preference_events e WHERE e.category_id = ${category}))`;

export class RefusedKeysStore {
  private readonly index: RefusalIndexStore;

  constructor(private readonly db: Db) {
    this.index = new RefusalIndexStore(db);
  }

  /**
   * The lookup a list job's ranges use (refusalsOfRange): the refusal index of choices/, as of the
   * job's snapshot time — the answer a whole read at that time (forEachRefused) gives for those keys.
   */
  lookup(categoryId: number, at: Date): RefusalLookup {
    return (keys) => this.index.lookup(categoryId, at, keys);
  }

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

   */
  async forEachRefused(categoryId: number, at: Date, onPage: (rows: { key: string; at: number }[]) => void, pageSize = 50_000): Promise<{ count: number }> {
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
      return { count: await fetchAll(client, 'refused_keys', pageSize, onPage) };
    });
  }
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
