import type { Queryable } from '../lib/db';
import type { AddressComponents } from '../address/delivery-point-key';

export interface PostcardRequest {
  id: number;
  key: string;
  line: string;
  city: string;
  state: string;
  zip5: string;
}

/** The lost-card queue: addresses that asked for a new card, until a postcard batch takes them. */
export class PostcardRequestsStore {
  constructor(private readonly db: Queryable) {}

  /** One pending request per address: asking twice before the next batch adds nothing. */
  async add(key: string, components: AddressComponents): Promise<void> {
    await this.db.query(
      `INSERT INTO postcard_requests (key, line, city, state, zip5) VALUES ($1::text, $2::text, $3::text, $4::text, $5::text)
       ON CONFLICT (key) WHERE batch_id IS NULL DO NOTHING`,
      [key, components.line, components.city, components.state, components.zip5],
    );
  }

  /**
   * Takes every pending request for a batch; SKIP LOCKED lets two batches run without taking one
   * twice. Requests held by a batch that never finished (its worker died) for an hour are pending
   * again: a request leaves the queue only once its card is in a stored print file.
   */
  async claimPending(batchId: number): Promise<PostcardRequest[]> {
    const { rows } = await this.db.query<PostcardRequest & Record<string, unknown>>(
      `UPDATE postcard_requests SET batch_id = $1::bigint
        WHERE id IN (
          SELECT r.id FROM postcard_requests r LEFT JOIN postcard_batches b ON b.id = r.batch_id
           WHERE r.batch_id IS NULL OR (b.finished_at IS NULL AND b.created_at < now() - interval '1 hour')
           ORDER BY r.id FOR UPDATE OF r SKIP LOCKED)
        RETURNING id, key, line, city, state, zip5`,
      [batchId],
    );
    return rows.sort((a, b) => a.id - b.id);
  }

  /** A batch that failed gives its requests back to the queue. */
  async release(batchId: number): Promise<void> {
    await this.db.query('UPDATE postcard_requests SET batch_id = NULL WHERE batch_id = $1::bigint', [batchId]);
  }

  /** Once the print file is stored the addresses are no longer needed here (privacy notice). */
  async deleteBatch(batchId: number): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM postcard_requests WHERE batch_id = $1::bigint', [batchId]);
    return rowCount;
  }

  async countPending(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM postcard_requests r LEFT JOIN postcard_batches b ON b.id = r.batch_id WHERE b.finished_at IS NULL',
    );
    return rows[0]!.n;
  }
}
