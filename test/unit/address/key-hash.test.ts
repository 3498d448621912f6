/**
 * deliveryPointKeyHash (what the cleanse calls for every row) must give exactly the hash of
 * deliveryPointKey's key, or its failure, for any input: over arbitrary fields, and over every row
 * of the sample list. The refused sets are built from the keys' text (hashKey), so any difference
 * would let a refusal through.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { deliveryPointKey, deliveryPointKeyHash, type AddressInput } from '../../../src/address/delivery-point-key';
import { beginKeyHash, endKeyHash, hashKey, hashKeyText, type KeyHash } from '../../../src/address/key-hash';
import { projectPath } from '../../../src/lib/project-path';

function expectSameAnswer(input: AddressInput): void {
  const full = deliveryPointKey(input);
  const hash: KeyHash = { hi: -1, lo: -1 };
  const result = deliveryPointKeyHash(input, hash);
  if (full.ok) {
    const expected: KeyHash = { hi: 0, lo: 0 };
    hashKey(full.key, expected);
    expect(result).toEqual({ ok: true });
    expect(hash).toEqual(expected);
  } else {
    expect(result).toMatchObject({ ok: false, reason: full.reason, message: full.message });
  }
}

describe('key hashes', () => {
  it('are the same for a key hashed whole and hashed in any pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 6 }), (pieces) => {
        const whole: KeyHash = { hi: 0, lo: 0 };
        hashKey(pieces.join(''), whole);
        const inPieces: KeyHash = { hi: 0, lo: 0 };
        beginKeyHash();
        for (const piece of pieces) hashKeyText(piece);
        endKeyHash(inPieces);
        expect(inPieces).toEqual(whole);
      }),
    );
  });

  it('differ for different keys', () => {
    const seen = new Set<string>();
    const hash: KeyHash = { hi: 0, lo: 0 };
    for (let n = 0; n < 20_000; n++) {
      hashKey(`${n} MAIN ST|02134`, hash);
      seen.add(`${hash.hi}:${hash.lo}`);
    }
    expect(seen.size).toBe(20_000);
  });
});

describe('deliveryPointKeyHash', () => {
  it('answers as deliveryPointKey does over arbitrary fields', () => {
    const words = fc.array(fc.constantFrom('123', '4B', 'N', 'Main', 'St', 'Apt', '#', 'PO', 'Box', 'RR', 'Rd', 'Peña', ',', 'Boston', 'MA', '02134'), { maxLength: 8 }).map((w) => w.join(' '));
    const field = fc.oneof(fc.string(), words, fc.constant(''));
    const zip = fc.oneof(fc.string(), fc.constantFrom('02134', '2134', '02134-1234', '', '62701 ', '2134.0'));
    const state = fc.oneof(fc.string(), fc.constantFrom('MA', 'Massachusetts', 'Narnia', ''));
    fc.assert(
      fc.property(field, field, field, state, zip, (address1, address2, city, st, z) => expectSameAnswer({ address1, address2, city, state: st, zip: z })),
      { numRuns: 3000 },
    );
  });

  it('answers as deliveryPointKey does for every row of the sample list, with and without the ZIP', () => {
    const rows = parse(fs.readFileSync(projectPath('sample-data', 'mailing-list.csv')), { columns: true, relax_column_count: true, relax_quotes: true, skip_records_with_error: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(2700); // csv-parse skips the malformed rows and swallows the lines an open quote runs over
    for (const row of rows) {
      const input = { address1: row.address1, address2: row.address2, city: row.city, state: row.state, zip: row.zip };
      expectSameAnswer(input);
      expectSameAnswer({ ...input, zip: '' });
    }
  });
});
