import type { Db } from '../lib/db';

/** Keys to look up, by their hash lanes (src/address/key-hash.ts): key i is (hi[i], lo[i]), i < count. */
export interface KeyBatch {
  hi: Uint32Array;
  lo: Uint32Array;
  count: number;
}

/** A refused key of a batch: its hash lanes and the refusal's time in epoch seconds. */
export interface RefusedKey {
  hi: number;
  lo: number;
  at: number;
}

/**
 * The refusal index's read side (migrations/0025_refusal_index.sql; docs/refusal-index.md): which
 * of a batch of keys refuse a category as of a snapshot time. `refusals` holds the current
 * refusals, one index probe per key; the few delivery points of the batch with a choice in the
 * category recorded after the snapshot are evaluated from their events as of the snapshot
 * instead (the latest event at or before it), so the answer is the one a whole read of the events
 * at the snapshot gives (RefusedKeysStore.forEachRefused), however much later it is asked — a
 * retried job gets the answer its first attempt got. One statement: the current state and the
 * events are read in one snapshot of the database. Keys of the batch that are refused come back
 * by their lanes (a key given twice comes back once).
 */
export class RefusalIndexStore {
  constructor(private readonly db: Db) {}

  async lookup(categoryId: number, at: Date, keys: KeyBatch): Promise<RefusedKey[]> {
    if (keys.count === 0) return [];
    // The lanes go as int4 arrays written out here (plain integers: nothing to escape), each
    // shifted into int4's range; the statement puts the 64-bit hash back together.
    let hi = '{';
    let lo = '{';
    for (let i = 0; i < keys.count; i++) {
      if (i > 0) {
        hi += ',';
        lo += ',';
      }
      hi += keys.hi[i]! | 0;
      lo += keys.lo[i]! - 2147483648;
    }
    // One index scan for the batch (key_hash = ANY of the batch's hashes: PostgreSQL walks the
    // index once in key order), not a join, which the planner may make a hash of the batch
    // against a scan of the whole table: a cost that follows the store, not the list.
    const { rows } = await this.db.query<{ found: string }>(
      `WITH changed AS MATERIALIZED (
         SELECT DISTINCT e.delivery_point_id AS id FROM preference_events e WHERE e.category_id = $3::int AND e.at > $4::timestamptz
       ), k AS MATERIALIZED (
         SELECT ARRAY(SELECT (u.hi::bigint << 32) | (u.lo::bigint + 2147483648) FROM unnest($1::int[], $2::int[]) AS u (hi, lo)) AS hashes
       )
       SELECT coalesce(string_agg(((f.key_hash >> 32)::int)::text || ' ' || (((f.key_hash & 4294967295) - 2147483648)::int)::text || ' ' || f.at::text, ' '), '') AS found FROM (
         SELECT r.key_hash, floor(extract(epoch FROM r.refused_at))::bigint AS at
           FROM refusals r
          WHERE r.key_hash = ANY ((SELECT hashes FROM k)::bigint[]) AND r.category_id = $3::int AND r.mailer_id = 0
            AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.id = r.delivery_point_id)
         UNION ALL
         SELECT dp.key_hash, floor(extract(epoch FROM latest.at))::bigint
           FROM changed c
           JOIN delivery_points dp ON dp.id = c.id
           CROSS JOIN LATERAL (
             SELECT e.accepted, e.at FROM preference_events e
              WHERE e.category_id = $3::int AND e.delivery_point_id = c.id AND e.at <= $4::timestamptz
              ORDER BY e.at DESC, e.id DESC LIMIT 1
           ) latest
          WHERE dp.key_hash = ANY ((SELECT hashes FROM k)::bigint[]) AND NOT latest.accepted
       ) f`,
      [hi + '}', lo + '}', categoryId, at],
      { prepare: 'refusals.lookup' },
    );
    // One text of "hi lo time" triples (int4 lanes): a row per refused key cost the driver more than the lookup.
    const found: RefusedKey[] = [];
    const text = rows[0]?.found ?? '';
    if (text === '') return found;
    const numbers = text.split(' ');
    for (let n = 0; n + 2 < numbers.length; n += 3) found.push({ hi: Number(numbers[n]) >>> 0, lo: Number(numbers[n + 1]) + 2147483648, at: Number(numbers[n + 2]) });
    return found;
  }

  /** Bytes of the index on disk (table and indexes) and its rows, for the benchmark and the docs. */
  async size(): Promise<{ rows: number; bytes: number }> {
    const { rows } = await this.db.query<{ rows: string; bytes: string }>("SELECT (SELECT count(*) FROM refusals) AS rows, pg_total_relation_size('refusals') AS bytes");
    return { rows: Number(rows[0]!.rows), bytes: Number(rows[0]!.bytes) };
  }
}
