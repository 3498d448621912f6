import { KeyHashTable } from '../../src/lists/cleanse';
import type { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';

/**
 * Loads one category's whole refused set at a snapshot time into a hash table, from the events
 * (RefusedKeysStore.forEachRefused). List jobs and the CLI look up only their
 * own keys in the refusal index instead (range-refusals.ts), and the tests check the index against
 * this whole read.
 */
export async function loadRefusedSet(store: RefusedKeysStore, categoryId: number, at: Date): Promise<KeyHashTable> {
  const table = new KeyHashTable(1 << 16);
  await store.forEachRefused(categoryId, at, (rows) => {
    for (const row of rows) table.set(row.key, Math.max(1, row.at));
  });
  return table;
}
