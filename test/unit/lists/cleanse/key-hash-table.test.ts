import { Readable } from 'node:stream';
import { KeyHashTable } from '../../../../src/lists/cleanse/key-hash-table';
import { hashKey } from '../../../../src/address/key-hash';

/** The bytes of a table cut into pieces of the given sizes (the way a file stream delivers them). */
function pieces(bytes: Buffer, size: number): Readable {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return Readable.from(out);
}

describe('KeyHashTable', () => {
  const table = new KeyHashTable(10);
  for (let i = 0; i < 5_000; i++) table.set(`${i} MAIN ST|0${i % 97}`, 1 + (i % 13));

  it('reads back from its bytes, however they are cut, with every key and value', async () => {
    const bytes = Buffer.concat(table.toBytes());
    for (const size of [1, 7, 4096, bytes.length]) {
      const copy = (await KeyHashTable.fromBytes(pieces(bytes, size)))!;
      expect(copy.size).toBe(5_000);
      for (let i = 0; i < 5_000; i += 7) expect(copy.get(`${i} MAIN ST|0${i % 97}`)).toBe(1 + (i % 13));
      expect(copy.get('1 MAIN ST|99999')).toBe(0);
      expect(copy.add('NEW KEY|1')).toBe(true);
    }
  });

  it('refuses bytes that are not a whole table', async () => {
    const bytes = Buffer.concat(table.toBytes());
    expect(await KeyHashTable.fromBytes(pieces(bytes.subarray(0, bytes.length - 1), 100))).toBeUndefined();
    expect(await KeyHashTable.fromBytes(pieces(Buffer.concat([bytes, Buffer.from([0])]), 100))).toBeUndefined();
    expect(await KeyHashTable.fromBytes(pieces(Buffer.from('first_name,last_name\r\n'.repeat(50)), 100))).toBeUndefined();
    expect(await KeyHashTable.fromBytes(pieces(Buffer.alloc(0), 1))).toBeUndefined();
  });

  it('setHashIfAbsent keeps the first value; addMissing adds only the keys a table lacks, however large', () => {
    const first = new KeyHashTable();
    const hash = { hi: 0, lo: 0 };
    hashKey('1 MAIN ST|02134', hash);
    expect(first.setHashIfAbsent(hash, 7)).toBe(0);
    expect(first.setHashIfAbsent(hash, 9)).toBe(7);
    expect(first.getHash(hash)).toBe(7);
    expect(first.get('1 MAIN ST|02134')).toBe(7);
    // a later chunk: one key seen before, many new ones (so the table grows while adding)
    const later = new KeyHashTable();
    later.set('1 MAIN ST|02134', 500);
    for (let i = 0; i < 3_000; i++) later.set(`${i} ELM ST|78701`, 1_000 + i);
    first.addMissing(later);
    expect(first.size).toBe(3_001);
    expect(first.get('1 MAIN ST|02134')).toBe(7);
    for (let i = 0; i < 3_000; i += 11) expect(first.get(`${i} ELM ST|78701`)).toBe(1_000 + i);
    expect(first.get('2 MAIN ST|02134')).toBe(0);
  });
});

describe('KeyHashTable.delete', () => {
  it('removes keys without losing any other key, whatever order they were added in', () => {
    // A small table, nearly full, so that runs of probed slots are long and wrap around the end.
    const table = new KeyHashTable(700);
    const present = new Map<string, number>();
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 20_000; round++) {
      const key = `${next() % 1500} OAK ST|0${next() % 7}`;
      if (next() % 3 === 0) {
        expect(table.delete(key)).toBe(present.get(key) ?? 0);
        present.delete(key);
      } else {
        const value = 1 + (next() % 1000);
        expect(table.set(key, value)).toBe(present.get(key) ?? 0);
        present.set(key, value);
      }
      expect(table.size).toBe(present.size);
    }
    for (const [key, value] of present) expect(table.get(key)).toBe(value);
    for (let i = 0; i < 1500; i++) if (!present.has(`${i} OAK ST|00`)) expect(table.get(`${i} OAK ST|00`)).toBe(0);
  });
});
