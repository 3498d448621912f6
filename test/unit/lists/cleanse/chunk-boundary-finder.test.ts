import fc from 'fast-check';
import iconv from 'iconv-lite';
import { ChunkBoundaryFinder, type ListChunk } from '../../../../src/lists/cleanse/chunk-boundary-finder';
import { RecordSplitter } from '../../../../src/lists/cleanse/csv-record-splitter';

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

/** The same bytes at another distance from a 4-byte boundary (the one-byte path reads aligned words). */
function shifted(data: Buffer, shift: number): Buffer {
  const copy = Buffer.alloc(data.length + 3);
  data.copy(copy, shift);
  return copy.subarray(shift, shift + data.length);
}

/** Piece sizes that end a piece right after every CR (the first half of a CRLF, or a lone CR). */
function piecesEndingAfterEachCr(data: Buffer): number[] {
  const sizes: number[] = [];
  let at = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0d) {
      sizes.push(i + 1 - at);
      at = i + 1;
    }
  }
  return sizes;
}

// Lines with quotes where they belong, stray quotes, quoted line breaks, every kind of line break.
const piece = fc.constantFrom('a', 'bb', ' ', ',', '"', '""', '"x"', '\n', '\r', '\r\n', 'é', '\u0a22', ',"q\nr",');
const text = fc.array(piece, { maxLength: 80 }).map((parts) => parts.join(''));
const pieces = fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 30 });

// Long runs of lines without quotes, with every kind of line break, now and then a line with a
// quote; bytes near CR and LF (tab, VT, FF, SO, NUL) and ones whose low seven bits are LF or CR
// (the second bytes of Ċ and č) check the word-at-a-time search.
const plainPiece = fc.constantFrom('a', 'bbbbbbb', ',', ' ', '\t', '\v', '\f', '\u000e', '\u0000', 'é', 'Ċ', 'č', 'abc,de,f');
const lineBreak = fc.constantFrom('\n', '\r\n', '\r');
const line = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.array(plainPiece, { maxLength: 12 }), lineBreak).map(([parts, end]) => parts.join('') + end) },
  { weight: 1, arbitrary: text },
);
const stretch = fc.tuple(fc.array(line, { maxLength: 60 }), fc.array(plainPiece, { maxLength: 3 })).map(([lines, last]) => lines.join('') + last.join(''));
const manyPieces = fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 300 })), { maxLength: 60 });

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

  it('counts long runs of lines without quotes exactly, wherever the cuts land and however the bytes arrive', () => {
    const unit: Width = { unitWidth: 1, littleEndian: false };
    fc.assert(
      fc.property(stretch, fc.integer({ min: 1, max: 1000 }), fc.oneof(manyPieces, fc.constant('after each CR' as const)), fc.integer({ min: 0, max: 3 }), (input, size, cuts, shift) => {
        const data = shifted(Buffer.from(input, 'utf8'), shift);
        const chunkBytes = Math.min(size, data.length + 1);
        const sizes = cuts === 'after each CR' ? piecesEndingAfterEachCr(data) : cuts;
        expect(found(data, chunkBytes, unit, sizes)).toEqual(referenceChunks(data, chunkBytes, unit));
      }),
      { numRuns: 1000 },
    );
  });

  it('cuts where the splitter does at any chunk size, with the bytes pushed one at a time or in bigger pieces', () => {
    const unit: Width = { unitWidth: 1, littleEndian: false };
    const data = Buffer.from(`a,b,c\r\n${'plain,line,here\r\nlf,only,x\nlone,cr,y\r'.repeat(20)}"q\r\nr",s,t\r\nlast,b,c`);
    for (const pieceSize of [1, 2, 3, 5, 7, 64, data.length]) {
      for (const chunkBytes of [1, 2, 17, 18, 19, 100, data.length, data.length + 1]) {
        expect(found(data, chunkBytes, unit, Array(data.length).fill(pieceSize))).toEqual(referenceChunks(data, chunkBytes, unit));
      }
    }
    expect(found(data, 1, unit, [data.length])).toHaveLength(1 + 3 * 20 + 2); // a chunk per record
    expect(found(data, data.length + 1, unit, [5])).toEqual([{ index: 0, start: 10, end: 10 + data.length, firstLine: 2 }]);
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
