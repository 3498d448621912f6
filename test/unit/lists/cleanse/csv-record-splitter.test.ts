import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { RecordSplitter, type RawRecord } from '../../../../src/lists/cleanse/csv-record-splitter';

interface Seen {
  raw: string;
  fields: string[];
  line: number;
  offset: number;
  error?: string;
}

/** Splits input fed in pieces: views of input (adjoining in memory, as a read's slices are) or copies. */
function split(input: Buffer, pieces: number[], expectedFields?: number, copies = false): Seen[] {
  const splitter = new RecordSplitter({ delimiter: 0x2c, unitWidth: 1, littleEndian: false, expectedFields });
  const seen: Seen[] = [];
  const onRecord = (r: RawRecord) => {
    const fields: string[] = [];
    for (let i = 0; i < r.fieldCount; i++) {
      const value = r.buf.toString('utf8', r.bounds[2 * i]!, r.bounds[2 * i + 1]!);
      fields.push(r.quoted[i] ? value.replace(/""/g, '"') : value);
    }
    seen.push({ raw: r.buf.toString('utf8', r.start, r.end), fields, line: r.line, offset: r.offset, error: r.error });
  };
  let at = 0;
  for (const size of pieces) {
    if (at >= input.length) break;
    const piece = input.subarray(at, at + size);
    splitter.push(copies ? Buffer.from(piece) : piece, onRecord);
    at += size;
  }
  if (at < input.length) splitter.push(input.subarray(at), onRecord);
  splitter.end(onRecord);
  return seen;
}

const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', 'é'), maxLength: 6 });
const quote = (value: string) => (/[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value);

describe('RecordSplitter', () => {
  it('finds the same records, bytes and fields as csv-parse, however the input is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }),
        (rows, eol, pieces) => {
          const text = rows.map((row) => row.map(quote).join(',')).join(eol) + eol;
          const input = Buffer.from(text);
          const records = split(input, pieces, 3);
          expect(records.map((r) => r.fields)).toEqual(parse(text, { relax_column_count: false }));
          expect(records.map((r) => r.raw).join('')).toBe(text);
          expect(records.every((r) => r.error === undefined)).toBe(true);
          expect(split(input, [input.length], 3)).toEqual(records);
          expect(split(input, pieces, 3, true)).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads records with many more fields than usual', () => {
    const rows = [Array.from({ length: 150 }, (_, i) => `f${i}`), Array.from({ length: 150 }, (_, i) => (i % 7 === 0 ? `"q,${i}"` : `g${i}`))];
    const text = rows.map((row) => row.join(',')).join('\n') + '\n';
    expect(split(Buffer.from(text), [5, 100, 3], 150).map((r) => r.fields)).toEqual(parse(text));
  });

  it('gives each record its starting line and byte offset', () => {
    const records = split(Buffer.from('a,b\r\n"x\ny",z\r\nq,r'), [2, 2, 2, 2], 2);
    expect(records.map((r) => [r.line, r.offset])).toEqual([
      [1, 0],
      [2, 5],
      [4, 14],
    ]);
  });
});
