import { recordTooLong, RecordSplitter, type SplitterOptions } from './csv-record-splitter';
import { LineBreakSearch } from './line-break-search';

/** One byte range of a list's data rows, starting at a record boundary. */
export interface ListChunk {
  index: number;
  start: number;
  end: number;
  /** The physical line its first record starts on. */
  firstLine: number;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** The next position of one code unit in a buffer, remembered until the search passes it. */
class UnitSearch {
  private buf: Buffer = Buffer.alloc(0);
  private readonly pattern: Buffer | number;
  /** The first match at or after `searched` (-1: none up to the end), valid while searched ≤ at. */
  private found = -1;
  private searched = Infinity;

  constructor(
    unit: number,
    private readonly width: 1 | 2,
    littleEndian: boolean,
  ) {
    this.pattern = width === 1 ? unit : Buffer.from(littleEndian ? [unit, 0] : [0, unit]);
  }

  reset(buf: Buffer): void {
    this.buf = buf;
    this.found = -1;
    this.searched = Infinity;
  }

  /** The first index ≥ at holding the unit (on a unit boundary), or -1. */
  next(at: number): number {
    if (at >= this.searched && (this.found < 0 || this.found >= at)) return this.found;
    let i = this.buf.indexOf(this.pattern, at);
    // UTF-16: a match straddling two code units (the bytes of U+0A22, say) is not the character.
    while (i >= 0 && this.width === 2 && i % 2 !== 0) i = this.buf.indexOf(this.pattern, i + 1);
    this.searched = at;
    this.found = i;
    return i;
  }
}

/**
 * Finds where to cut a list's data rows into chunks of about chunkBytes, at the same record
 * boundaries the record splitter finds, and the line each chunk starts on — without splitting
 * every field of every row. Lines without a quote are records by themselves (their line break
 * ends them), so they are only counted; a line with a quote in it goes to the record splitter,
 * which decides where that record ends (a quoted line break, a stray quote and its recovery),
 * and the counting resumes after it. In a one-byte encoding the lines up to the next quote (found
 * by a native search) are counted by reading their bytes in JavaScript (LineBreakSearch); in
 * UTF-16 each line break is found by native searches for LF and for CR.
 *
 * Buffers are relative to the list's data start, which is on a code-unit boundary.
 */
export class ChunkBoundaryFinder {
  readonly chunks: ListChunk[] = [];
  private pending: Buffer = Buffer.alloc(0);
  /** File offset of pending[0]. */
  private offset: number;
  private line: number;
  private chunkStart: number;
  private chunkLine: number;
  private lastRecordEnd: number;
  private readonly width: 1 | 2;
  private readonly littleEndian: boolean;
  private readonly maxRecordBytes: number;
  private readonly splitter: RecordSplitter;
  private readonly quotes: UnitSearch;
  private readonly lineFeeds: UnitSearch;
  private readonly returns: UnitSearch;
  private readonly lineBreaks = new LineBreakSearch();

  constructor(
    options: SplitterOptions & { firstLine: number; firstOffset: number },
    private readonly chunkBytes: number,
  ) {
    this.width = options.unitWidth;
    this.littleEndian = options.littleEndian;
    this.maxRecordBytes = options.maxRecordBytes ?? 1 << 20;
    this.splitter = new RecordSplitter(options);
    this.offset = this.chunkStart = this.lastRecordEnd = options.firstOffset;
    this.line = this.chunkLine = options.firstLine;
    this.quotes = new UnitSearch(QUOTE, this.width, this.littleEndian);
    this.lineFeeds = new UnitSearch(LF, this.width, this.littleEndian);
    this.returns = new UnitSearch(CR, this.width, this.littleEndian);
  }

  push(chunk: Buffer): void {
    if (this.width === 1 && this.pending.length > 0) chunk = this.finishPendingLine(chunk);
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const consumed = this.scan(buf, false);
    this.pending = buf.subarray(consumed);
    this.offset += consumed;
    if (this.pending.length > this.maxRecordBytes) throw recordTooLong(this.line, this.maxRecordBytes);
  }

  /** The chunks, once the whole list has been pushed. */
  end(): ListChunk[] {
    if (this.pending.length > 0) this.scan(this.pending, true);
    this.pending = Buffer.alloc(0);
    if (this.lastRecordEnd > this.chunkStart || this.chunks.length === 0) {
      this.chunks.push({ index: this.chunks.length, start: this.chunkStart, end: this.lastRecordEnd, firstLine: this.chunkLine });
    }
    return this.chunks;
  }

  /**
   * Almost every push cuts a plain line in two. When the pending bytes start one (no quote, no
   * line break yet) and the chunk finishes it before any quote, that record ends here, so the
   * rest of the chunk is scanned where it lies instead of being copied behind the pending bytes
   * (that copy of every chunk took about a sixth of this pass). Returns what is left of the chunk.
   */
  private finishPendingLine(chunk: Buffer): Buffer {
    const pending = this.pending;
    if (pending.indexOf(QUOTE) >= 0 || pending.indexOf(CR) >= 0 || pending.indexOf(LF) >= 0) return chunk;
    let i = 0;
    while (i < chunk.length && chunk[i] !== LF && chunk[i] !== CR && chunk[i] !== QUOTE) i++;
    if (i >= chunk.length || chunk[i] === QUOTE) return chunk;
    if (chunk[i] === CR && i + 1 >= chunk.length) return chunk; // may be half of a CRLF
    const lineEnd = chunk[i] === CR && chunk[i + 1] === LF ? i + 2 : i + 1;
    if (pending.length + lineEnd > this.maxRecordBytes) throw recordTooLong(this.line, this.maxRecordBytes);
    this.offset += pending.length + lineEnd;
    this.pending = Buffer.alloc(0);
    this.line++;
    this.endRecord(this.offset);
    return chunk.subarray(lineEnd);
  }

  /** A record [start, end) over the limit is refused, on the line it starts (as the record splitter refuses it). */
  private checkLength(start: number, end: number): void {
    if (end - start > this.maxRecordBytes) throw recordTooLong(this.line, this.maxRecordBytes);
  }

  /** The record splitter's end of the quoted record at buf[0]; over the limit, refused on this line. */
  private recordEnd(buf: Buffer, atEof: boolean): number {
    try {
      return this.splitter.recordEnd(buf, atEof);
    } catch (error) {
      // the splitter does not count lines here: the error names this finder's line
      if ((error as { code?: string }).code === 'RECORD_TOO_LONG') throw recordTooLong(this.line, this.maxRecordBytes);
      throw error;
    }
  }

  /** Notes a record ending at file offset `end`, and cuts a chunk there once it is big enough. */
  private endRecord(end: number): void {
    this.lastRecordEnd = end;
    if (end - this.chunkStart >= this.chunkBytes) {
      this.chunks.push({ index: this.chunks.length, start: this.chunkStart, end, firstLine: this.chunkLine });
      this.chunkStart = end;
      this.chunkLine = this.line;
    }
  }

  /** Consumes whole records from buf; returns how many bytes they took. */
  private scan(buf: Buffer, atEof: boolean): number {
    const w = this.width;
    const length = buf.length - (buf.length % w);
    this.quotes.reset(buf);
    this.lineFeeds.reset(buf);
    this.returns.reset(buf);
    if (w === 1) this.lineBreaks.reset(buf);
    let pos = 0;
    while (pos < length) {
      if (w === 1) {
        const quote = this.quotes.next(pos);
        pos = this.passPlainLines(buf, pos, quote < 0 ? length : quote);
        if (pos >= length) break;
      }
      const lineEnd = this.terminatorEnd(pos, length, atEof);
      const quote = this.quotes.next(pos);
      let end: number;
      if (quote >= 0 && (lineEnd < 0 || quote < lineEnd)) {
        const recordEnd = this.recordEnd(buf.subarray(pos, length), atEof);
        if (recordEnd < 0 && !atEof) break;
        end = recordEnd < 0 ? length : pos + recordEnd;
        this.checkLength(pos, end);
        for (let at = pos, next; at < end && (next = this.terminatorEnd(at, length, atEof)) >= 0 && next <= end; at = next) this.line++;
      } else if (lineEnd >= 0) {
        end = lineEnd;
        this.checkLength(pos, end);
        this.line++;
      } else if (atEof) {
        end = length; // the last record, without a line break
        this.checkLength(pos, end);
      } else {
        break;
      }
      pos = end;
      this.endRecord(this.offset + pos);
    }
    return pos;
  }

  /**
   * Consumes the lines that end before `to` (the next quote, or the end of buf), in a one-byte
   * encoding: with no quote among them every line break ends a record, so they are only counted
   * and checked against the next cut, without a native search per line. Returns where the last
   * of them ends; the line holding the quote, an unfinished last line, or a CR at the end of buf
   * (maybe half of a CRLF cut between two pushes) is left to the caller.
   */
  private passPlainLines(buf: Buffer, from: number, to: number): number {
    // endRecord's test, moved into buf's coordinates so that most lines cost one comparison
    let cutAt = this.chunkStart + this.chunkBytes - this.offset;
    const max = this.maxRecordBytes;
    let pos = from;
    for (let i = this.lineBreaks.next(from, to); i >= 0; i = this.lineBreaks.next(pos, to)) {
      let end = i + 1;
      if (buf[i] === CR) {
        if (end >= buf.length) break;
        if (buf[end] === LF) end++;
      }
      if (end - pos > max) this.checkLength(pos, end);
      this.line++;
      pos = end;
      if (end >= cutAt) {
        this.endRecord(this.offset + end);
        cutAt = end + this.chunkBytes;
      }
    }
    this.lastRecordEnd = this.offset + pos;
    return pos;
  }

  /** The end of the first line break (LF, CRLF or a lone CR) at or after `at`, or -1. */
  private terminatorEnd(at: number, length: number, atEof: boolean): number {
    const w = this.width;
    const lf = this.lineFeeds.next(at);
    const cr = this.returns.next(at);
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      if (cr + w >= length) return atEof ? cr + w : -1; // CRLF may be cut in two here
      return lf === cr + w ? lf + w : cr + w;
    }
    return lf >= 0 && lf < length ? lf + w : -1;
  }
}
