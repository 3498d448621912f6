/**
 * The 64-bit hash of a delivery-point key, as two 32-bit lanes: the core of cyrb53, a
 * multiply-xorshift fold over the key's characters one at a time. Because the fold goes
 * character by character, a key can be hashed piece by piece as it is put together
 * (deliveryPointKeyHash) and gives the same lanes as hashing the finished string: a list cleanse
 * then never builds each row's key as one string, which V8 would first have to flatten from its
 * concatenated pieces (an allocation and a copy per row).
 */
export interface KeyHash {
  hi: number;
  lo: number;
}

let h1 = 0;
let h2 = 0;

export function beginKeyHash(): void {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
}

/** Folds the next piece of the key's text in. */
export function hashKeyText(text: string): void {
  let a = h1;
  let b = h2;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 2654435761);
    b = Math.imul(b ^ ch, 1597334677);
  }
  h1 = a;
  h2 = b;
}

/** Finishes the hash begun by beginKeyHash into `out`. */
export function endKeyHash(out: KeyHash): void {
  const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  out.hi = a >>> 0;
  out.lo = b >>> 0;
}

/** The hash of a whole key, into `out`. */
export function hashKey(key: string, out: KeyHash): void {
  beginKeyHash();
  hashKeyText(key);
  endKeyHash(out);
}

/**
 * The key's hash as PostgreSQL holds it (delivery_points.key_hash, the refusal index's key): a
 * signed 64-bit integer whose high 32 bits are `hi` and low 32 bits `lo`, in decimal.
 * migrations/0025_refusal_index.sql computes the same for writers that do not give it.
 */
export function keyHashInt64(key: string): string {
  const out: KeyHash = { hi: 0, lo: 0 };
  hashKey(key, out);
  return BigInt.asIntN(64, (BigInt(out.hi) << 32n) | BigInt(out.lo)).toString();
}
