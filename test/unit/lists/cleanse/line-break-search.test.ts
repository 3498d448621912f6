import fc from 'fast-check';
import { LineBreakSearch } from '../../../../src/lists/cleanse/line-break-search';

function naiveNext(buf: Buffer, at: number, to: number): number {
  for (let i = at; i < to; i++) if (buf[i] === 0x0a || buf[i] === 0x0d) return i;
  return -1;
}

// Mostly bytes that are, or nearly are, CR and LF: the ones around them, and the ones whose low
// seven bits are theirs.
const byte = fc.oneof(fc.constantFrom(0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x8a, 0x8d, 0x00, 0x7f, 0x80, 0xff), fc.integer({ min: 0, max: 255 }));

describe('LineBreakSearch', () => {
  it('finds the first CR or LF in a range as a byte-by-byte search does, at any alignment', () => {
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 80 }), fc.integer({ min: 0, max: 7 }), fc.nat(), fc.nat(), (bytes, shift, a, b) => {
        const backing = Buffer.alloc(bytes.length + shift);
        Buffer.from(bytes).copy(backing, shift);
        const buf = backing.subarray(shift);
        const search = new LineBreakSearch();
        search.reset(buf);
        const to = b % (buf.length + 1);
        const at = a % (to + 1);
        expect(search.next(at, to)).toBe(naiveNext(buf, at, to));
        // and every break in turn, as the finder walks them
        for (let from = 0; ; ) {
          const i = search.next(from, buf.length);
          expect(i).toBe(naiveNext(buf, from, buf.length));
          if (i < 0) break;
          from = i + 1;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('tells every byte value in every position of a word', () => {
    const search = new LineBreakSearch();
    for (let value = 0; value < 256; value++) {
      for (let position = 0; position < 8; position++) {
        const buf = Buffer.alloc(16, 'x');
        buf[position] = value;
        search.reset(buf);
        expect(search.next(0, 16)).toBe(value === 0x0a || value === 0x0d ? position : -1);
      }
    }
  });
});
