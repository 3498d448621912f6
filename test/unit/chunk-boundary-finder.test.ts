import fc from 'fast-check';
import iconv from 'iconv-lite';
import { ChunkBoundaryFinder, type ListChunk } from '../../src/lists/chunk-boundary-finder';
import { RecordSplitter } from '../../src/lists/csv-record-splitter';

type Width = { unitWidth: 1 | 2; littleEndian: boolean };

/** The reference: every record from the record splitter, cut after the first record end ≥ chunkBytes. */
function referenceChunks(data: Buffer, chunkBytes: number, unit: Width, maxRecordBytes?: number): ListChunk[] {
  const splitter = new RecordSplitter({ delimiter: 0x2c, ...unit, expectedFields: 3, firstLine: 2, firstOffset: 10, maxRecordBytes });
  const chunks: ListChunk[] = [];
  let current: ListChunk = { index: 0, start: 10, end: 10, firstLine: 2 };
  const onRecord = (record: { offset: number; start: number; end: number; line: number }) => {
    if (current.end - current.start >= chunkBytes) {
      chunks.push(current);
      current = { index: chunks.length, start: current.end, end: current.end, firstLine: 0 };
    }
    if (current.end === current.start) current.firstLine = record.line;
    current.end = record.offset + (record.end - record.start);
  };
  splitter.push(data, onRecord);
  splitter.end(onRecord);
  if (current.end > current.start || chunks.length === 0) chunks.push(current);
  return chunks;
}

function found(data: Buffer, chunkBytes: number, unit: Width, pieces: number[], maxRecordBytes?: number): ListChunk[] {
  const finder = new ChunkBoundaryFinder({ delimiter: 0x2c, ...unit, expectedFields: 3, firstLine: 2, firstOffset: 10, maxRecordBytes }, chunkBytes);
  let at = 0;
  for (const size of pieces) {
    if (at >= data.length) break;
    finder.push(data.subarray(at, at + size * unit.unitWidth));
    at += size * unit.unitWidth;
  }
  if (at < data.length) finder.push(data.subarray(at));
  return finder.end();
}

// Lines with quotes where they belong, stray quotes, quoted line breaks, every kind of line break.
const piece = fc.constantFrom('a', 'bb', ' ', ',', '"', '""', '"x"', '\n', '\r', '\r\n', 'é', '\u0a22', ',"q\nr",');
const text = fc.array(piece, { maxLength: 80 }).map((parts) => parts.join(''));
const pieces = fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 30 });

describe('ChunkBoundaryFinder', () => {
  it.each([
    ['UTF-8', { unitWidth: 1, littleEndian: false } as Width, (s: string) => Buffer.from(s, 'utf8')],
    ['UTF-16LE', { unitWidth: 2, littleEndian: true } as Width, (s: string) => Buffer.from(s, 'utf16le')],
    ['UTF-16BE', { unitWidth: 2, littleEndian: false } as Width, (s: string) => iconv.encode(s, 'utf16be')],
  ])('cuts %s lists where the record splitter ends records, with their first lines', (_name, unit, encode) => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), pieces, (input, chunkBytes, cuts) => {
        const data = encode(input);
        expect(found(data, chunkBytes, unit, cuts)).toEqual(referenceChunks(data, chunkBytes, unit));
      }),
      { numRuns: 400 },
    );
  });

  it('recovers from an unclosed quote the way the splitter does, also when the record grows too long', () => {
    const data = Buffer.from(`a,b,c\n"open,b,c\n${'x,y,z\n'.repeat(30)}"q\nq",b,c\nlast,b,c`);
    for (const max of [16, 64, 1 << 20]) {
      for (const chunkBytes of [1, 7, 50]) {
        expect(found(data, chunkBytes, { unitWidth: 1, littleEndian: false }, [5, 3, 40, 9], max)).toEqual(referenceChunks(data, chunkBytes, { unitWidth: 1, littleEndian: false }, max));
      }
    }
  });

  it('keeps a CRLF cut between two pieces in one chunk', () => {
    const data = Buffer.from('a,b,c\r\nd,e,f\r\ng,h,i');
    expect(found(data, 5, { unitWidth: 1, littleEndian: false }, [6, 1, 7])).toEqual([
      { index: 0, start: 10, end: 17, firstLine: 2 },
      { index: 1, start: 17, end: 24, firstLine: 3 },
      { index: 2, start: 24, end: 29, firstLine: 4 },
    ]);
  });
});
