/**
 * A set of delivery-point keys held as 64-bit hashes in typed arrays (open addressing), each with
 * a 32-bit value (the choice date in seconds, the line a key first appears on, or 1). Five
 * million refused keys take ~100 MB as a Map of strings but ~50 MB here, and lookups allocate
 * nothing. With 64-bit hashes the chance that any row of a 10-million-row list is wrongly
 * matched against 5 million keys is about 3e-6.
 */
let hashHi = 0;
let hashLo = 0;

/** Two 32-bit lanes of a multiply-xorshift hash (the core of cyrb53), left in hashHi/hashLo. */
function hashKey(key: string): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  hashHi = h1 >>> 0;
  hashLo = h2 >>> 0;
}

const TABLE_MAGIC = 0x4b485431; // "KHT1"
const BYTE_ORDER_MARK = 0x01020304;

export class KeyHashTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private values: Uint32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024, arrays?: { hi: Uint32Array; lo: Uint32Array; values: Uint32Array }) {
    let capacity = 1024;
    while (capacity < expected * 1.5) capacity *= 2;
    this.hi = arrays?.hi ?? new Uint32Array(capacity);
    this.lo = arrays?.lo ?? new Uint32Array(capacity);
    this.values = arrays?.values ?? new Uint32Array(capacity);
    this.mask = this.values.length - 1;
  }

  /** Sets key's value (must be > 0); returns the previous value or 0 when it was absent. */
  set(key: string, value: number): number {
    hashKey(key);
    return this.setHash(hashHi, hashLo, value);
  }

  /** Sets key's value (must be > 0) unless key is present; returns the value it had, or 0 when it was absent. */
  setIfAbsent(key: string, value: number): number {
    hashKey(key);
    return this.setHash(hashHi, hashLo, value, false);
  }

  /** Adds every key of other that this table lacks, with other's value; keys already here keep theirs. */
  addMissing(other: KeyHashTable): void {
    const { hi, lo, values } = other;
    for (let i = 0; i < values.length; i++) if (values[i]! !== 0) this.setHash(hi[i]!, lo[i]!, values[i]!, false);
  }

  /** The value stored for key, or 0. */
  get(key: string): number {
    hashKey(key);
    let slot = (hashLo ^ hashHi) & this.mask;
    for (;;) {
      const value = this.values[slot]!;
      if (value === 0) return 0;
      if (this.hi[slot] === hashHi && this.lo[slot] === hashLo) return value;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds key with value 1 unless present; true when it was new. */
  add(key: string): boolean {
    return this.set(key, 1) === 0;
  }

  get memoryBytes(): number {
    return this.values.length * 12;
  }

  /**
   * The table as bytes, for a file that other workers read back with fromBytes instead of
   * building the table again: a header, then the three arrays as they are in memory (views, not
   * copies). The header's byte-order mark makes a reader on another architecture refuse it.
   */
  toBytes(): Buffer[] {
    const header = new Uint32Array([TABLE_MAGIC, BYTE_ORDER_MARK, this.values.length, this.size]);
    return [header, this.hi, this.lo, this.values].map((array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  }

  /** Reads back what toBytes wrote, streamed; undefined when the bytes are not such a table. */
  static async fromBytes(chunks: AsyncIterable<Buffer>): Promise<KeyHashTable | undefined> {
    const header = new Uint8Array(16);
    let body: Uint8Array | undefined;
    let size = 0;
    let at = 0;
    for await (const chunk of chunks) {
      let used = 0;
      if (!body) {
        const take = Math.min(16 - at, chunk.length);
        header.set(chunk.subarray(0, take), at);
        at += take;
        used = take;
        if (at < 16) continue;
        const [magic, order, capacity, count] = new Uint32Array(header.buffer);
        if (magic !== TABLE_MAGIC || order !== BYTE_ORDER_MARK || capacity! < 1024 || (capacity! & (capacity! - 1)) !== 0) return undefined;
        body = new Uint8Array(capacity! * 12);
        size = count!;
        at = 0;
      }
      if (at + chunk.length - used > body.length) return undefined;
      body.set(chunk.subarray(used), at);
      at += chunk.length - used;
    }
    if (!body || at !== body.length) return undefined;
    const capacity = body.length / 12;
    const table = new KeyHashTable(0, {
      hi: new Uint32Array(body.buffer, 0, capacity),
      lo: new Uint32Array(body.buffer, capacity * 4, capacity),
      values: new Uint32Array(body.buffer, capacity * 8, capacity),
    });
    table.size = size;
    return table;
  }

  private setHash(hi: number, lo: number, value: number, replace = true): number {
    if ((this.size + 1) * 4 > this.values.length * 3) this.grow();
    let slot = (lo ^ hi) & this.mask;
    for (;;) {
      const existing = this.values[slot]!;
      if (existing === 0) {
        this.hi[slot] = hi;
        this.lo[slot] = lo;
        this.values[slot] = value;
        this.size++;
        return 0;
      }
      if (this.hi[slot] === hi && this.lo[slot] === lo) {
        if (replace) this.values[slot] = value;
        return existing;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const { hi, lo, values } = this;
    const capacity = values.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.values = new Uint32Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < values.length; i++) if (values[i]! !== 0) this.setHash(hi[i]!, lo[i]!, values[i]!);
  }
}
