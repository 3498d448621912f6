import type { KeyHash } from '../../address/key-hash';
import { KeyHashTable } from './key-hash-table';
import type { ListSource } from './list-header';
import { rowsOptions, type CleanseSettings, type PreparedList } from './list-cleanser';
import { RecordedKeys, walkRangeRows } from './range-rows';

/** Keys by their hash lanes: key i is (hi[i], lo[i]), i < count. */
export interface KeyBatch {
  hi: Uint32Array;
  lo: Uint32Array;
  count: number;
}

/**
 * Which keys of a batch refuse the job's category at its snapshot: their hash lanes and each
 * refusal's time in epoch seconds (the refusal index: src/choices/refusal-index-store.ts).
 */
export type RefusalLookup = (keys: KeyBatch) => Promise<{ hi: number; lo: number; at: number }[]>;

/** Keys a lookup asks about at once: one statement of ~10,000 index probes. */
export const LOOKUP_BATCH_KEYS = 10_000;
/** Lookups in flight at once while the range is read on. */
const LOOKUPS_IN_FLIGHT = 2;

export interface RangeRefusals {
  /** The range's refused keys with their choice times: the cleanse's `refused` set for this range. */
  refused: KeyHashTable;
  /** Each row's key as read here, for the cleanse to read instead of keying every row again. */
  recorded: RecordedKeys;
  /** Distinct keys looked up, and in how many lookups. */
  keys: number;
  lookups: number;
}

/**
 * The first of a range's two walks (the cleanse is the second): keys every row of the range,
 * records the keys, and looks up the range's distinct keys in batches as they come, while it reads
 * on. What the cleanse then needs of the category's refusals is exactly the range's own: memory
 * and work follow the list, never the size of the store.
 */
export async function refusalsOfRange(
  source: ListSource,
  prepared: PreparedList,
  range: { start: number; end: number; firstLine: number },
  settings: CleanseSettings,
  lookup: RefusalLookup,
  batchKeys = LOOKUP_BATCH_KEYS,
): Promise<RangeRefusals> {
  const recorded = new RecordedKeys();
  const distinct = new KeyHashTable(1 << 12);
  const refused = new KeyHashTable(1 << 10);
  let batch = newBatch(batchKeys);
  let lookups = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const send = async (keys: KeyBatch) => {
    lookups++;
    const looking = lookup(keys).then(
      (found) => {
        const hash: KeyHash = { hi: 0, lo: 0 };
        for (const { hi, lo, at } of found) {
          hash.hi = hi;
          hash.lo = lo;
          refused.setHashIfAbsent(hash, Math.max(1, at));
        }
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    const tracked = looking.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= LOOKUPS_IN_FLIGHT) await Promise.race(inFlight);
  };
  await walkRangeRows(
    source.open({ start: range.start, end: range.end }),
    { ...rowsOptions(prepared, range, settings), keys: { mode: 'record', recorded } },
    (_record, key, hash) => {
      if (key === undefined || !key.ok || !distinct.addHash(hash)) return;
      if (batch.count === batch.hi.length) batch = grown(batch);
      batch.hi[batch.count] = hash.hi;
      batch.lo[batch.count] = hash.lo;
      batch.count++;
    },
    async () => {
      if (failure !== undefined) throw failure;
      if (batch.count >= batchKeys) {
        const full = batch;
        batch = newBatch(batchKeys);
        await send(full);
      }
    },
  );
  // The slices of a walk hold at most a few thousand rows, so a batch ends near batchKeys keys.
  if (batch.count > 0) await send(batch);
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { refused, recorded, keys: distinct.size, lookups };
}

function newBatch(batchKeys: number): KeyBatch {
  // A batch is sent after a slice of the walk, so it may pass batchKeys by a slice's keys.
  return { hi: new Uint32Array(batchKeys + 4096), lo: new Uint32Array(batchKeys + 4096), count: 0 };
}

function grown(batch: KeyBatch): KeyBatch {
  const hi = new Uint32Array(batch.hi.length * 2);
  hi.set(batch.hi);
  const lo = new Uint32Array(batch.lo.length * 2);
  lo.set(batch.lo);
  return { hi, lo, count: batch.count };
}
