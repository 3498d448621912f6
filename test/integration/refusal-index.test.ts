import { Readable, Writable } from 'node:stream';
import { deliveryPointKey, type AddressInput } from '../../src/address/delivery-point-key';
import { hashKey, keyHashInt64, type KeyHash } from '../../src/address/key-hash';
import { RefusalIndexStore } from '../../src/choices/refusal-index-store';
import { Db } from '../../src/lib/db';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { loadRefusedSet } from '../support/whole-refused-set';
import { rng } from '../../bench/list-generator';
import { householdAddress } from '../support/lists-fixtures';
import { createTestRoot, type TestRoot } from '../support/test-root';

const HOUSEHOLDS = 24;

function keyOf(address: AddressInput): string {
  const keyed = deliveryPointKey(address);
  if (!keyed.ok) throw new Error(`unreadable test address ${JSON.stringify(address)}`);
  return keyed.key;
}

function lanes(key: string): KeyHash {
  const hash = { hi: 0, lo: 0 };
  hashKey(key, hash);
  return hash;
}

/** The lookup of these keys, as a map key → refusal time (epoch seconds). */
async function lookUp(store: RefusedKeysStore, categoryId: number, at: Date, keys: string[]): Promise<Map<string, number>> {
  const batch = { hi: new Uint32Array(keys.length), lo: new Uint32Array(keys.length), count: keys.length };
  keys.forEach((key, i) => {
    const hash = lanes(key);
    batch.hi[i] = hash.hi;
    batch.lo[i] = hash.lo;
  });
  const found = await store.lookup(categoryId, at)(batch);
  const byLanes = new Map(keys.map((key) => [`${lanes(key).hi}:${lanes(key).lo}`, key]));
  return new Map(found.map(({ hi, lo, at: refusedAt }) => [byLanes.get(`${hi}:${lo}`)!, Math.max(1, refusedAt)]));
}

/** The whole read of the category's refusals at `at`, as the same map over these keys. */
async function wholeRead(store: RefusedKeysStore, categoryId: number, at: Date, keys: string[]): Promise<Map<string, number>> {
  const table = await loadRefusedSet(store, categoryId, at);
  const found = new Map<string, number>();
  for (const key of keys) if (table.get(key) !== 0) found.set(key, table.get(key));
  expect(found.size).toBe(table.size); // every refusal of the store is one of these keys
  return found;
}

describe('the refusal index', () => {
  let root: TestRoot;
  let store: RefusedKeysStore;
  beforeAll(async () => {
    root = await createTestRoot();
    store = new RefusedKeysStore(root.db);
  });
  afterAll(async () => {
    await root.cleanup();
  });

  it('hashes a key in PostgreSQL as the cleanse does in JavaScript', async () => {
    const keys = ['', 'A', '123 MAIN ST 02134', '1 1/2 N 5TH AVE APT 4B 10001', 'PO BOX 12 99501', 'ÉCOLE 1', 'ZIP \u{1F4EE} 1', ...Array.from({ length: 40 }, (_, i) => keyOf(householdAddress(i + 1)))];
    const { rows } = await root.db.query<{ hash: string }>('SELECT delivery_point_key_hash(k)::text AS hash FROM unnest($1::text[]) WITH ORDINALITY AS t (k, n) ORDER BY n', [keys]);
    expect(rows.map((row) => row.hash)).toEqual(keys.map(keyHashInt64));
  });

  it('gives what a whole read of the events gives, at every job snapshot, after random choices, moves, loads and retirements', async () => {
    const categories = (await root.services.categories.listActive()).slice(0, 3);
    const addresses = Array.from({ length: HOUSEHOLDS }, (_, i) => householdAddress(1000 + i));
    const keys = addresses.map(keyOf);
    // Keys the store never saw are looked up too: they are never refused.
    const strangers = Array.from({ length: 4 }, (_, i) => keyOf(householdAddress(5000 + i)));
    const random = rng(22);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    const snapshots: { categoryId: number; at: Date }[] = [];
    const retired = new Set<number>();
    for (let step = 0; step < 120; step++) {
      const action = random();
      if (action < 0.5) {
        const choices = Object.fromEntries(categories.filter(() => random() < 0.6).map((c) => [c.slug, random() < 0.6 ? false : true]));
        if (Object.keys(choices).length === 0) continue;
        await root.services.choices.recordChoices({ address: pick(addresses), choices, source: 'operator', actor: 'property-test' });
      } else if (action < 0.62) {
        // A move, as apply-moves does it: the old address's choices end (a family move), and follow the household.
        const from = pick(keys);
        const to = pick(addresses);
        await root.db.withTransaction(async (tx) => {
          const held = await root.services.choices.heldChoicesAt(tx, from);
          if (!held || held.choices.length === 0) return;
          await root.services.choices.endChoicesAt(tx, held.deliveryPointId, held.choices, { actor: 'property-test', reference: `move-${step}` });
          if (random() < 0.7 && keyOf(to) !== from) {
            await root.services.choices.recordChoicesWith(tx, { address: to, choices: Object.fromEntries(held.choices.map((c) => [c.slug, c.accepted])), source: 'move', actor: 'property-test', reference: `move-${step}` });
          }
        });
      } else if (action < 0.7) {
        // The operator's loader: a few points, refusing or accepting a category (never over a household's own choice).
        const active = categories.filter((c) => !retired.has(c.id));
        if (active.length === 0) continue;
        const category = pick(active);
        const lines = ['address1,address2,city,state,zip,' + category.slug];
        for (let i = 0; i < 4; i++) {
          const a = pick(addresses);
          lines.push([a.address1, a.address2, a.city, a.state, a.zip, pick(['refuse', 'accept', ''])].map((v) => `"${v ?? ''}"`).join(','));
        }
        await root.services.storeLoad.load(Readable.from([Buffer.from(lines.join('\n') + '\n')]), `load-${step}.csv`, new Writable({ write: (_c, _e, done) => done() }));
      } else if (action < 0.76) {
        const category = pick(categories);
        const active = random() < 0.5;
        await root.services.categories.setActive(category.id, active, { label: 'property-test' });
        if (active) retired.delete(category.id);
        else retired.add(category.id);
      } else {
        // A job: its snapshot time, taken as a list job takes it.
        const category = pick(categories);
        snapshots.push({ categoryId: category.id, at: await store.snapshotTime(category.id) });
      }
    }
    for (const category of categories) await root.services.categories.setActive(category.id, true, { label: 'property-test' });
    for (const category of categories) snapshots.push({ categoryId: category.id, at: await store.snapshotTime(category.id) });
    expect(snapshots.length).toBeGreaterThan(10);
    let refusalsSeen = 0;
    for (const { categoryId, at } of snapshots) {
      const expected = await wholeRead(store, categoryId, at, keys);
      const found = await lookUp(store, categoryId, at, [...keys, ...strangers]);
      expect([...found.entries()].sort()).toEqual([...expected.entries()].sort());
      refusalsSeen += expected.size;
    }
    expect(refusalsSeen).toBeGreaterThan(0);
    // And the index itself is the current state: preferences where not accepted.
    const { rows } = await root.db.query<{ missing: number; extra: number }>(
      `SELECT (SELECT count(*) FROM preferences p JOIN delivery_points dp ON dp.id = p.delivery_point_id
                WHERE NOT p.accepted AND NOT EXISTS (SELECT 1 FROM refusals r WHERE r.key_hash = dp.key_hash AND r.category_id = p.category_id AND r.delivery_point_id = p.delivery_point_id AND r.refused_at = p.updated_at)) AS missing,
              (SELECT count(*) FROM refusals r WHERE NOT EXISTS (SELECT 1 FROM preferences p WHERE p.delivery_point_id = r.delivery_point_id AND p.category_id = r.category_id AND NOT p.accepted)) AS extra`,
    );
    expect(rows[0]).toEqual({ missing: 0, extra: 0 });
  });

  it('applies a choice recorded before a job’s snapshot and not one recorded after it, however late the lookup', async () => {
    const catalogs = (await root.services.categories.requireActive('catalogs')).id;
    const [early, late, changedMind] = [householdAddress(7001), householdAddress(7002), householdAddress(7003)];
    await root.services.choices.recordChoices({ address: early, choices: { catalogs: false }, source: 'operator', actor: 't' });
    await root.services.choices.recordChoices({ address: changedMind, choices: { catalogs: false }, source: 'operator', actor: 't' });
    const snapshot = await store.snapshotTime(catalogs);
    // While the job runs: one household refuses, another takes its refusal back.
    await root.services.choices.recordChoices({ address: late, choices: { catalogs: false }, source: 'operator', actor: 't' });
    await root.services.choices.recordChoices({ address: changedMind, choices: { catalogs: true }, source: 'operator', actor: 't' });
    const keys = [early, late, changedMind].map(keyOf);
    const atSnapshot = await lookUp(store, catalogs, snapshot, keys);
    expect([...atSnapshot.keys()].sort()).toEqual([keys[0]!, keys[2]!].sort());
    const now = await lookUp(store, catalogs, await store.snapshotTime(catalogs), keys);
    expect([...now.keys()].sort()).toEqual([keys[0]!, keys[1]!].sort());
  });

  it('reads the same through separate connection pools (two machines’ workers on one database)', async () => {
    const catalogs = (await root.services.categories.requireActive('catalogs')).id;
    const otherDb = new Db(root.config.databaseUrl!);
    const other = new RefusedKeysStore(otherDb);
    try {
      const address = householdAddress(7100);
      const keys = [keyOf(address)];
      await root.services.choices.recordChoices({ address, choices: { catalogs: false }, source: 'operator', actor: 't' });
      const at = await store.snapshotTime(catalogs);
      expect(await lookUp(other, catalogs, at, keys)).toEqual(await lookUp(store, catalogs, at, keys));
      expect((await lookUp(other, catalogs, at, keys)).size).toBe(1);
    } finally {
      await otherDb.close();
    }
  });

  it('reports its size', async () => {
    const size = await new RefusalIndexStore(root.db).size();
    expect(size.rows).toBeGreaterThan(0);
    expect(size.bytes).toBeGreaterThan(0);
  });
});
