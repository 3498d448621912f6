import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { EncodingScan, type ListEncoding } from '../../../../src/lists/cleanse/list-encoding';

function scanIn(bytes: Buffer, cuts: number[]): ListEncoding {
  const scan = new EncodingScan();
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    scan.push(bytes.subarray(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  scan.push(bytes.subarray(at));
  return scan.end();
}

// Pieces a list is made of: ASCII, UTF-8 characters of 2 to 4 bytes, Windows-1252 accents, and
// bytes cut out of UTF-8 characters.
const piece = fc.constantFrom(
  Buffer.from('12 Main St,'),
  Buffer.from('\n'),
  Buffer.from('Peña'),
  Buffer.from('€'),
  Buffer.from('🏠'),
  Buffer.from([0xf1]),
  Buffer.from([0xe9, 0x41]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf0, 0x9f]),
  Buffer.from([0x80]),
);

describe('the encoding scan decides on every byte, however the file arrives in blocks', () => {
  it('gives the same decision for any split of the same bytes, and calls a file clean UTF-8 exactly when it is valid UTF-8', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(400), { maxLength: 12 }), (long, pieces, cuts) => {
        // a long file's bytes after its first 64 KiB go through the block-by-block check
        const lead = long ? 70_000 : 0;
        const bytes = Buffer.concat([Buffer.from('address1,zip\n'), Buffer.alloc(lead, 0x61), ...pieces]);
        const whole = scanIn(bytes, []);
        expect(scanIn(bytes, cuts.map((cut) => lead + (cut % (bytes.length - lead + 1))))).toEqual(whole);
        expect(whole.cleanUtf8).toBe(isUtf8(bytes));
        expect(whole.encoding === 'utf-8' || whole.encoding === 'windows-1252').toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('decides past the first 64 KiB', () => {
    const bytes = Buffer.concat([Buffer.from('address1,zip\n'), Buffer.alloc(200_000, 0x41), Buffer.from([0xf1, 0x0a])]);
    expect(scanIn(bytes, [65_536, 131_072])).toMatchObject({ encoding: 'windows-1252', cleanUtf8: false, mixed: false });
  });
});
