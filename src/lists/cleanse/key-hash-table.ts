import { hashKey, type KeyHash } from '../../address/key-hash';

// The lanes of the last key hashed here (one object, reused: a lookup allocates nothing).
const hashed: KeyHash = { hi: 0, lo: 0 };

const TABLE_MAGIC = 0x4b485432; // "KHT2": slots interleaved (KHT1 held three separate arrays)
const BYTE_ORDER_MARK = 0x01020304;
/** Words per slot: the hash's two halves and the value, side by side in one cache line. */
const SLOT = 3;

/**
 * A set of delivery-point keys held as 64-bit hashes in a typed array (open addressing), each with
 * a 32-bit value (the choice date in seconds, the line a key first appears on, or 1). Five
 * million refused keys take ~100 MB as a Map of strings but ~50 MB here, and lookups allocate
 * nothing. With 64-bit hashes the chance that any row of a 10-million-row list is wrongly
 * matched against 5 million keys is about 3e-6.
 */
export class KeyHashTable {
  // slot i is slots[3i] (hash high), slots[3i + 1] (hash low), slots[3i + 2] (value, 0 = empty):
  // a lookup that misses the CPU cache costs one memory access, not one per array.
  private slots: Uint32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024, slots?: Uint32Array) {
    let capacity = 1024;
    while (capacity < expected * 1.5) capacity *= 2;
    this.slots = slots ?? new Uint32Array(capacity * SLOT);
    this.mask = this.slots.length / SLOT - 1;
  }

  /** Sets key's value (must be > 0); returns the previous value or 0 when it was absent. */
  set(key: string, value: number): number {
    hashKey(key, hashed);
    return this.setHash(hashed.hi, hashed.lo, value);
  }

  /**
   * Sets the value (must be > 0) of a key known by its hash (deliveryPointKeyHash) unless the key
   * is present; returns the value it had, or 0 when it was absent.
   */
  setHashIfAbsent(hash: KeyHash, value: number): number {
    return this.setHash(hash.hi, hash.lo, value, false);
  }

  /** Adds every key of other that this table lacks, with other's value; keys already here keep theirs. */
  addMissing(other: KeyHashTable): void {
    const slots = other.slots;
    for (let at = 0; at < slots.length; at += SLOT) if (slots[at + 2]! !== 0) this.setHash(slots[at]!, slots[at + 1]!, slots[at + 2]!, false);
  }

  /** The value stored for key, or 0. */
  get(key: string): number {
    hashKey(key, hashed);
    return this.getHash(hashed);
  }

  /** The value stored for a key known by its hash (deliveryPointKeyHash), or 0. */
  getHash(hash: KeyHash): number {
    const { hi, lo } = hash;
    const slots = this.slots;
    let slot = (lo ^ hi) & this.mask;
    for (;;) {
      const at = slot * SLOT;
      const value = slots[at + 2]!;
      if (value === 0) return 0;
      if (slots[at] === hi && slots[at + 1] === lo) return value;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Removes key; returns the value it had, or 0 when it was absent. */
  delete(key: string): number {
    hashKey(key, hashed);
    const hashHi = hashed.hi;
    const hashLo = hashed.lo;
    const slots = this.slots;
    const mask = this.mask;
    let hole = (hashLo ^ hashHi) & mask;
    for (;;) {
      const at = hole * SLOT;
      if (slots[at + 2] === 0) return 0;
      if (slots[at] === hashHi && slots[at + 1] === hashLo) break;
      hole = (hole + 1) & mask;
    }
    const removed = slots[hole * SLOT + 2]!;
    // Backward shift (no tombstones): every later key of the same run that may sit in the hole,
    // because the hole lies between its home slot and where it is, moves back into it.
    for (let next = (hole + 1) & mask; ; next = (next + 1) & mask) {
      const at = next * SLOT;
      if (slots[at + 2] === 0) break;
      const home = (slots[at]! ^ slots[at + 1]!) & mask;
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        slots.copyWithin(hole * SLOT, at, at + SLOT);
        hole = next;
      }
    }
    slots.fill(0, hole * SLOT, hole * SLOT + SLOT);
    this.size--;
    return removed;
  }

  /** Adds key with value 1 unless present; true when it was new. */
  add(key: string): boolean {
    return this.set(key, 1) === 0;
  }

  /** add for a key known by its hash (deliveryPointKeyHash). */
  addHash(hash: KeyHash): boolean {
    return this.setHash(hash.hi, hash.lo, 1) === 0;
  }

  get memoryBytes(): number {
    return this.slots.byteLength;
  }

  /**
   * The table as bytes, for a file that other workers read back with fromBytes instead of
   * building the table again: a header, then the slots as they are in memory (a view, not a
   * copy). The header's byte-order mark makes a reader on another architecture refuse it.
   */
  toBytes(): Buffer[] {
    const header = new Uint32Array([TABLE_MAGIC, BYTE_ORDER_MARK, this.slots.length / SLOT, this.size]);
    return [header, this.slots].map((array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength));
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
        body = new Uint8Array(capacity! * SLOT * 4);
        size = count!;
        at = 0;
      }
      if (at + chunk.length - used > body.length) return undefined;
      body.set(chunk.subarray(used), at);
      at += chunk.length - used;
    }
    if (!body || at !== body.length) return undefined;
    const table = new KeyHashTable(0, new Uint32Array(body.buffer, 0, body.length / 4));
    table.size = size;
    return table;
  }

  private setHash(hi: number, lo: number, value: number, replace = true): number {
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const slots = this.slots;
    let slot = (lo ^ hi) & this.mask;
    for (;;) {
      const at = slot * SLOT;
      const existing = slots[at + 2]!;
      if (existing === 0) {
        slots[at] = hi;
        slots[at + 1] = lo;
        slots[at + 2] = value;
        this.size++;
        return 0;
      }
      if (slots[at] === hi && slots[at + 1] === lo) {
        if (replace) slots[at + 2] = value;
        return existing;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.slots.length / SLOT - 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += SLOT) if (old[at + 2]! !== 0) this.setHash(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}
