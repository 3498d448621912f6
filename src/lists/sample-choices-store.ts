import type { Queryable } from '../lib/db';

/** Whether the sample choices were already recorded (their events name the sample file as actor). */
export class SampleChoicesStore {
  constructor(private readonly db: Queryable) {}

  async hasEventsFrom(actor: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM preference_events WHERE actor = $1::text LIMIT 1', [actor]);
    return rows.length > 0;
  }
}
