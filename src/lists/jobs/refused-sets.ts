import { Readable } from 'node:stream';
import type { FileStorage } from '../../lib/file-storage';
import { KeyHashTable } from '../cleanse';
import type { RefusedKeysStore } from './refused-keys-store';

/** Loads one category's refused keys at a snapshot time into a hash table, from Postgres. */
export async function loadRefusedSet(store: RefusedKeysStore, categoryId: number, at: Date): Promise<KeyHashTable> {
  return (await readWholeSet(store, categoryId, at)).table;
}

async function readWholeSet(store: RefusedKeysStore, categoryId: number, at: Date): Promise<{ table: KeyHashTable; watermark?: Date }> {
  const table = new KeyHashTable(1 << 16);
  const { watermark } = await store.forEachRefused(categoryId, at, (rows) => {
    for (const row of rows) table.set(row.key, Math.max(1, row.at));
  });
  return { table, watermark };
}

const cacheKey = (categoryId: number) => `refused-sets/category-${categoryId}`;
const HEADER_BYTES = 16;
/** A cached set is rebuilt from scratch once it is this old, whatever else happened. */
const MAX_AGE_MS = 60 * 60 * 1000;
/**
 * Choices are re-read from this long before the watermark: choice times come from the server's
 * clock, and a clock stepped back (seen on virtual machines) must not hide a choice recorded
 * after the set was read behind a time before its watermark.
 */
const CLOCK_MARGIN_MS = 15 * 60 * 1000;

/**
 * Each category's refused set, kept between list jobs. Reading every refusal of a category from
 * Postgres takes about a second per 250,000 refusals, and every list job needs the set as of its
 * own snapshot. So the last set read is stored (FileStorage, shared by all workers) with its
 * watermark, a time before which it has seen every choice that will ever be recorded
 * (RefusedKeysStore.forEachRefused explains it), and the next job reads that file and then
 * re-reads from Postgres only the delivery points with a choice recorded since the watermark, as
 * of its own snapshot. The result is exactly the set a whole read would give, and is stored in
 * turn for the job after.
 *
 * A whole read is done instead when there is no stored set, when it is more than an hour old
 * (a bound on anything outside the events, such as delivery-point keys rewritten by a
 * migration), or when the snapshot is older than its watermark (a job retried much later).
 */
export class RefusedSets {
  private readonly now: () => number;
  private readonly clockMarginMs: number;

  constructor(
    private readonly store: RefusedKeysStore,
    private readonly storage: FileStorage,
    options: { now?: () => number; clockMarginMs?: number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.clockMarginMs = options.clockMarginMs ?? CLOCK_MARGIN_MS;
  }

  async load(categoryId: number, at: Date): Promise<{ table: KeyHashTable; changes?: number }> {
    const cached = await this.read(categoryId).catch(() => undefined);
    if (cached && cached.watermark.getTime() <= at.getTime() && this.now() - cached.watermark.getTime() < MAX_AGE_MS) {
      const { table } = cached;
      const since = new Date(cached.watermark.getTime() - this.clockMarginMs);
      const { count, watermark } = await this.store.forEachChangedSince(categoryId, since, at, (rows) => {
        for (const row of rows) {
          if (row.refusedAt > 0) table.set(row.key, Math.max(1, row.refusedAt));
          else table.delete(row.key);
        }
      });
      if (watermark && watermark > cached.watermark) await this.write(categoryId, table, watermark);
      return { table, changes: count };
    }
    const { table, watermark } = await readWholeSet(this.store, categoryId, at);
    if (watermark && !(cached && cached.watermark >= watermark)) await this.write(categoryId, table, watermark);
    return { table };
  }

  private async write(categoryId: number, table: KeyHashTable, watermark: Date): Promise<void> {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeDoubleLE(watermark.getTime(), 0);
    header.writeUInt32LE(categoryId, 8);
    await this.storage.put(cacheKey(categoryId), Readable.from([header, ...table.toBytes()]));
  }

  private async read(categoryId: number): Promise<{ table: KeyHashTable; watermark: Date } | undefined> {
    if (!(await this.storage.exists(cacheKey(categoryId)))) return undefined;
    const chunks = this.storage.readBlocks(cacheKey(categoryId))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    // The header, then the rest streamed into the table.
    let head = Buffer.alloc(0);
    while (head.length < HEADER_BYTES) {
      const next = await chunks.next();
      if (next.done) return undefined;
      head = Buffer.concat([head, next.value]);
    }
    const watermark = new Date(head.readDoubleLE(0));
    if (head.readUInt32LE(8) !== categoryId || Number.isNaN(watermark.getTime())) return undefined;
    const rest = head.subarray(HEADER_BYTES);
    const table = await KeyHashTable.fromBytes(
      (async function* () {
        if (rest.length > 0) yield rest;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      })(),
    );
    return table ? { table, watermark } : undefined;
  }
}
