import { keyHashInt64 } from '../src/address/key-hash';
import type { Queryable } from '../src/lib/db';

/**
 * The benchmark's own SQL: bulk-loading a preference store far faster than one submission at a
 * time, and the Postgres peer (server-side COPY in, anti-join on a naive key, COPY out).
 */
export class BenchStore {
  constructor(private readonly db: Queryable) {}

  /** Rows of the refusal index (every category). */
  async refusalCount(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM refusals');
    return Number(rows[0]!.n);
  }

  async categoryId(slug: string): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>('SELECT id FROM categories WHERE slug = $1::text', [slug]);
    return rows[0]!.id;
  }

  /**
   * Delivery points, and for the refused ones an event and a current-state row (as recordChoices
   * would write). A real store's choices were made over months, not in the minute before a list
   * job: the refusals are dated over the past year (and at least an hour ago). Each point's key
   * hash is given, as the loader gives it (the database would otherwise compute it row by row).
   */
  async insertPoints(points: { key: string; line: string; city: string; state: string; zip5: string; refused: boolean; naiveKey: string }[], categoryId: number): Promise<void> {
    await this.db.query(
      `INSERT INTO delivery_points (key, line, city, state, zip5, key_hash)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) ON CONFLICT (key) DO NOTHING`,
      [points.map((p) => p.key), points.map((p) => p.line), points.map((p) => p.city), points.map((p) => p.state), points.map((p) => p.zip5), points.map((p) => keyHashInt64(p.key))],
    );
    const refused = points.filter((p) => p.refused);
    await this.db.query(
      `WITH events AS (
         INSERT INTO preference_events (delivery_point_id, category_id, accepted, previous, source, actor, at)
         SELECT dp.id, $2::integer, false, NULL, 'operator', 'bench', clock_timestamp() - interval '1 hour' - (dp.id % 365) * interval '1 day' FROM delivery_points dp
         WHERE dp.key = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM preferences p WHERE p.delivery_point_id = dp.id AND p.category_id = $2::integer)
         RETURNING id, delivery_point_id, category_id, accepted, at
       )
       INSERT INTO preferences (delivery_point_id, category_id, accepted, updated_at, event_id)
       SELECT delivery_point_id, category_id, accepted, at, id FROM events ON CONFLICT DO NOTHING`,
      [refused.map((p) => p.key), categoryId],
    );
    await this.db.query(`INSERT INTO bench_naive_refused (key) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [refused.map((p) => p.naiveKey)]);
  }

  async createNaiveTable(): Promise<void> {
    await this.db.query('CREATE TABLE IF NOT EXISTS bench_naive_refused (key text PRIMARY KEY)');
  }

  async analyze(): Promise<void> {
    await this.db.query('ANALYZE');
  }

  /** The peer: COPY the list in, anti-join on upper-cased concatenated address fields, COPY the rest out. */
  async postgresPeer(inputPath: string, outputPath: string): Promise<number> {
    await this.db.query('DROP TABLE IF EXISTS bench_list');
    await this.db.query('CREATE UNLOGGED TABLE bench_list (first_name text, last_name text, address1 text, address2 text, city text, state text, zip text)');
    // COPY takes no parameters; the paths are the benchmark's own temporary files.
    await this.db.query(`COPY bench_list FROM '${inputPath.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true)`);
    const out = await this.db.query(
      `COPY (SELECT l.* FROM bench_list l WHERE NOT EXISTS (
         SELECT 1 FROM bench_naive_refused r WHERE r.key = upper(coalesce(l.address1, '')) || '|' || upper(coalesce(l.address2, '')) || '|' || coalesce(l.zip, '')))
       TO '${outputPath.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true)`,
    );
    return out.rowCount;
  }

  async listJob(id: string): Promise<{ status: string; error: string | null; rowsIn: number | null; kept: number | null } | undefined> {
    const { rows } = await this.db.query<{ status: string; error: string | null; rowsIn: number | null; kept: number | null }>(
      'SELECT status, error, rows_in AS "rowsIn", rows_kept AS kept FROM list_jobs WHERE id = $1::uuid',
      [id],
    );
    return rows[0];
  }
}
