import type { Writable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { DbClient } from '../lib/db';

/**
 * The national loader's staging (mailpref store load): a temporary staging table filled by COPY and
 * the store_loads record; the writes into delivery_points, preference_events and preferences from it are
 * PreferencesStore's, the tables' one writer (lockStagedPoints, insertStagedPoints,
 * recordStagedChoices). Everything runs in the caller's one transaction: a load is applied whole
 * or not at all.
 */
export class StoreLoadStore {
  constructor(private readonly tx: DbClient) {}

  /** The staging table: one row per readable line of the file, dropped at commit. */
  async createStaging(): Promise<void> {
    // A load is set-based work over millions of rows: sorts and hashes in memory, not on disk.
    await this.tx.query("SET LOCAL work_mem = '256MB'");
    await this.tx.query(
      `CREATE TEMPORARY TABLE store_load_rows (
         line bigint NOT NULL, key text NOT NULL, key_hash bigint NOT NULL, street text NOT NULL, city text NOT NULL, state text NOT NULL, zip5 text NOT NULL,
         choices boolean[]
       ) ON COMMIT DROP`,
    );
  }

  /** COPY … FROM STDIN into the staging table; write rows made by `copyRow`, then end it. */
  copyIn(): Writable {
    return this.tx.raw.query(copyFrom('COPY store_load_rows (line, key, key_hash, street, city, state, zip5, choices) FROM STDIN'));
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
export function copyRow(line: number, key: string, keyHash: string, street: string, city: string, state: string, zip5: string, choices: (boolean | null)[] | null): string {
  const array = choices === null ? '\\N' : `{${choices.map((c) => (c === null ? 'NULL' : c ? 't' : 'f')).join(',')}}`;
  return `${line}\t${copyText(key)}\t${keyHash}\t${copyText(street)}\t${copyText(city)}\t${copyText(state)}\t${copyText(zip5)}\t${array}\n`;
}
