import { deliveryPointKey } from '../../src/address/delivery-point-key';
import type { KeyHashTable } from '../../src/lists/cleanse';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { loadRefusedSet, RefusedSets } from '../../src/lists/jobs/refused-sets';
import { householdAddress, refuse } from '../support/lists-fixtures';
import { recordChoice } from '../support/preferences';
import { createTestRoot, type TestRoot } from '../support/test-root';

const HOUSEHOLDS = Array.from({ length: 60 }, (_, i) => householdAddress(i + 1));
const keyOf = (n: number) => {
  const key = deliveryPointKey(householdAddress(n));
  if (!key.ok) throw new Error(key.message);
  return key.key;
};

/** Every household's value in the table (0 = not refused), to compare two tables entry by entry. */
function entries(table: KeyHashTable): number[] {
  return HOUSEHOLDS.map((_, i) => table.get(keyOf(i + 1)));
}

describe("a category's refused set kept between list jobs", () => {
  let root: TestRoot;
  let store: RefusedKeysStore;
  let catalogs: number;

  beforeAll(async () => {
    root = await createTestRoot();
    store = new RefusedKeysStore(root.db);
    catalogs = (await root.services.categories.requireActive('catalogs')).id;
  }, 60_000);
  afterAll(async () => {
    await root?.cleanup();
  });
  beforeEach(async () => {
    await root.files.deleteFolder('refused-sets'); // each test starts with no stored set
  });

  it('is read from the stored set plus the choices recorded since, and equals a whole read', async () => {
    await refuse(root, 'catalogs', HOUSEHOLDS.slice(0, 30));
    const sets = new RefusedSets(store, root.files);
    const first = await sets.load(catalogs, await store.snapshotTime(catalogs));
    expect(first.changes).toBeUndefined(); // nothing stored yet: a whole read
    expect(first.table.size).toBe(30);

    await recordChoice(root.db, householdAddress(3), 'catalogs', true); // refused, then accepts again
    await refuse(root, 'catalogs', [householdAddress(40), householdAddress(41)]); // new refusals
    await refuse(root, 'catalogs', [householdAddress(42)]);
    await recordChoice(root.db, householdAddress(42), 'catalogs', true); // refuses and changes back
    await recordChoice(root.db, householdAddress(43), 'coupons-retail', false); // another category
    const at = await store.snapshotTime(catalogs);
    await refuse(root, 'catalogs', [householdAddress(50)]); // after the snapshot: not in this set
    await recordChoice(root.db, householdAddress(5), 'catalogs', true);

    const second = await sets.load(catalogs, at);
    expect(second.changes).toBeGreaterThanOrEqual(5); // 3, 40, 41, 42 and the two after the snapshot
    const whole = await loadRefusedSet(store, catalogs, at);
    expect(entries(second.table)).toEqual(entries(whole));
    expect(second.table.size).toBe(whole.size);
    expect(second.table.get(keyOf(3))).toBe(0);
    expect(second.table.get(keyOf(40))).toBeGreaterThan(0);
    expect(second.table.get(keyOf(42))).toBe(0);
    expect(second.table.get(keyOf(50))).toBe(0);
    expect(second.table.get(keyOf(5))).toBeGreaterThan(0);

    // The next job starts from what the second one stored.
    const later = await store.snapshotTime(catalogs);
    const third = await sets.load(catalogs, later);
    expect(third.changes).toBeDefined();
    expect(entries(third.table)).toEqual(entries(await loadRefusedSet(store, catalogs, later)));
    expect(third.table.get(keyOf(50))).toBeGreaterThan(0);
    expect(third.table.get(keyOf(5))).toBe(0);
  });

  it('still sees a choice whose transaction began before the stored set was read and committed after', async () => {
    await refuse(root, 'catalogs', [householdAddress(55)]);
    await recordChoice(root.db, householdAddress(55), 'catalogs', true);
    const { rows } = await root.db.query<{ id: number }>('SELECT id FROM delivery_points WHERE key = $1::text', [keyOf(55)]);
    // No margin for a stepped-back clock here: the watermark alone must cover the open transaction.
    const sets = new RefusedSets(store, root.files, { clockMarginMs: 0 });
    await root.db.withTransaction(async (tx) => {
      // The refusal's time is taken now, inside the open transaction …
      await tx.query(`SELECT * FROM record_choice_changes($1::bigint, ARRAY['catalogs'], ARRAY[false], 'operator', 'test', NULL, false, NULL)`, [rows[0]!.id]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      // … the set is read and stored while it is still open (it cannot see the refusal) …
      const during = await sets.load(catalogs, await store.snapshotTime(catalogs));
      expect(during.table.get(keyOf(55))).toBe(0);
    });
    // … and once it commits, the next job must see it, though its time is before the set's snapshot.
    const after = await sets.load(catalogs, await store.snapshotTime(catalogs));
    expect(after.changes).toBeDefined();
    expect(after.table.get(keyOf(55))).toBeGreaterThan(0);
  });

  it('still sees a choice stamped a little before the stored set was read (a clock stepped back)', async () => {
    await recordChoice(root.db, householdAddress(59), 'coupons-retail', false); // the address is known, catalogs never answered
    const sets = new RefusedSets(store, root.files);
    await sets.load(catalogs, await store.snapshotTime(catalogs));
    // Recorded after that read, but with a time five minutes before it.
    await root.db.query(
      `WITH e AS (
         INSERT INTO preference_events (delivery_point_id, category_id, accepted, previous, source, actor, at)
         SELECT id, $2::integer, false, NULL, 'operator', 'test', clock_timestamp() - interval '5 minutes' FROM delivery_points WHERE key = $1::text
         RETURNING id, delivery_point_id, at)
       INSERT INTO preferences (delivery_point_id, category_id, accepted, updated_at, event_id) SELECT delivery_point_id, $2::integer, false, at, id FROM e`,
      [keyOf(59), catalogs],
    );
    const after = await sets.load(catalogs, await store.snapshotTime(catalogs));
    expect(after.changes).toBeDefined();
    expect(after.table.get(keyOf(59))).toBeGreaterThan(0);
  });

  it('reads the whole set for a snapshot older than the stored one', async () => {
    const old = await store.snapshotTime(catalogs);
    await refuse(root, 'catalogs', [householdAddress(57)]);
    const sets = new RefusedSets(store, root.files);
    await sets.load(catalogs, await store.snapshotTime(catalogs));
    const retried = await sets.load(catalogs, old);
    expect(retried.changes).toBeUndefined();
    expect(retried.table.get(keyOf(57))).toBe(0);
    expect(entries(retried.table)).toEqual(entries(await loadRefusedSet(store, catalogs, old)));
  });

  it('reads the whole set once the stored one is more than an hour old', async () => {
    const sets = new RefusedSets(store, root.files);
    await sets.load(catalogs, await store.snapshotTime(catalogs));
    const anHourLater = new RefusedSets(store, root.files, { now: () => Date.now() + 61 * 60 * 1000 });
    expect((await anHourLater.load(catalogs, await store.snapshotTime(catalogs))).changes).toBeUndefined();
  });
});
