import type { Writable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { DbClient } from '../lib/db';

/**
 * The national loader's SQL (mailpref store load): a temporary staging table filled by COPY, then
 * set-based statements into delivery_points, preference_events and preferences. Everything runs in
 * the caller's one transaction: a load is applied whole or not at all.
 */
export class StoreLoadStore {
  constructor(private readonly tx: DbClient) {}

  /** The staging table: one row per readable line of the file, dropped at commit. */
  async createStaging(): Promise<void> {
    // A load is set-based work over millions of rows: sorts and hashes in memory, not on disk.
    await this.tx.query("SET LOCAL work_mem = '256MB'");
    await this.tx.query(
      `CREATE TEMPORARY TABLE store_load_rows (
         line bigint NOT NULL, key text NOT NULL, street text NOT NULL, city text NOT NULL, state text NOT NULL, zip5 text NOT NULL,
         choices boolean[]
       ) ON COMMIT DROP`,
    );
  }

  /** COPY … FROM STDIN into the staging table; write rows made by `copyRow`, then end it. */
  copyIn(): Writable {
    return this.tx.raw.query(copyFrom('COPY store_load_rows (line, key, street, city, state, zip5, choices) FROM STDIN'));
  }

  async stagedRows(): Promise<number> {
    await this.tx.query('ANALYZE store_load_rows');
    const { rows } = await this.tx.query<{ n: string }>('SELECT count(*) AS n FROM store_load_rows');
    return Number(rows[0]!.n);
  }

  async createLoad(fileName: string, sha256: string): Promise<number> {
    const { rows } = await this.tx.query<{ id: string }>(
      'INSERT INTO store_loads (file_name, sha256, rows_in, loaded, rejected, points_created, events_written) VALUES ($1::text, $2::text, 0, 0, 0, 0, 0) RETURNING id',
      [fileName, sha256],
    );
    return Number(rows[0]!.id);
  }

  /**
   * Takes the row lock of every delivery point of the file that exists already, in id order: the
   * lock every writer of an address's choices takes first (record_choice_changes), so a household
   * submitting meanwhile is either seen by the statements below or waits for the load.
   */
  async lockExistingPoints(): Promise<number> {
    const { rows } = await this.tx.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT dp.id FROM delivery_points dp JOIN store_load_rows s ON s.key = dp.key WHERE s.choices IS NOT NULL ORDER BY dp.id FOR UPDATE OF dp
       ) locked`,
    );
    return Number(rows[0]!.n);
  }

  /** New delivery points, each key once (its first line's spelling); existing ones are left as they are. */
  async insertPoints(): Promise<number> {
    const { rowCount } = await this.tx.query(
      `INSERT INTO delivery_points (key, line, city, state, zip5)
       SELECT DISTINCT ON (key) key, street, city, state, zip5 FROM store_load_rows ORDER BY key, line
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
  async recordChoices(categoryIds: number[], loadId: number, sha256: string): Promise<number> {
    const { rowCount } = await this.tx.query(
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

  async finishLoad(loadId: number, counts: { rowsIn: number; loaded: number; rejected: number; pointsCreated: number; eventsWritten: number }): Promise<void> {
    await this.tx.query(
      'UPDATE store_loads SET rows_in = $2::bigint, loaded = $3::bigint, rejected = $4::bigint, points_created = $5::bigint, events_written = $6::bigint WHERE id = $1::bigint',
      [loadId, counts.rowsIn, counts.loaded, counts.rejected, counts.pointsCreated, counts.eventsWritten],
    );
  }
}

/** A text field of COPY's text format: backslash, tab, line breaks escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

/** One staging row in COPY's text format: choices aligned with the load's category ids (null: no answer in that column). */
export function copyRow(line: number, key: string, street: string, city: string, state: string, zip5: string, choices: (boolean | null)[] | null): string {
  const array = choices === null ? '\\N' : `{${choices.map((c) => (c === null ? 'NULL' : c ? 't' : 'f')).join(',')}}`;
  return `${line}\t${copyText(key)}\t${copyText(street)}\t${copyText(city)}\t${copyText(state)}\t${copyText(zip5)}\t${array}\n`;
}
