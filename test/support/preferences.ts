import { deliveryPointKey, type AddressInput } from '../../src/address/delivery-point-key';
import type { Db, Queryable } from '../../src/lib/db';
import { ChoicesService } from '../../src/choices/choices-service';

/** Records a household's choice through the real write path (event + current state, locked). */
export async function recordChoice(db: Db, address: AddressInput, slug: string, accepted: boolean): Promise<void> {
  await new ChoicesService(db).recordChoices({ address, choices: { [slug]: accepted }, source: 'web', actor: 'test' });
}

/** The current choices at an address, as slug → accepted (absent = never answered, accepts). */
export async function choicesAt(db: Queryable, address: AddressInput): Promise<Record<string, boolean>> {
  const key = deliveryPointKey(address);
  if (!key.ok) throw new Error(key.message);
  const { rows } = await db.query<{ slug: string; accepted: boolean }>(
    `SELECT c.slug, p.accepted FROM preferences p JOIN delivery_points d ON d.id = p.delivery_point_id JOIN categories c ON c.id = p.category_id
      WHERE d.key = $1::text ORDER BY c.slug`,
    [key.key],
  );
  return Object.fromEntries(rows.map((row) => [row.slug, row.accepted]));
}
