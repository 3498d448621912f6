/**
 * A byte-level CSV record splitter. It never decodes or copies a row: it reports where each
 * record starts and ends in the input bytes (so the cleansed file can be the input's bytes,
 * exactly) and where each field's content lies (so only the address fields are decoded).
 *
 * Works in code units of 1 byte (UTF-8, Windows-1252) or 2 bytes (UTF-16 LE/BE): delimiter,
 * quote, CR and LF are ASCII in all of them. Records end at LF, CRLF or a lone CR.
 *
 * Recovery from an unclosed quote: a quoted field that runs past the end of its line and then
 * leaves the record broken (wrong field count, text after the closing quote, end of file, or an
 * absurdly long record) is almost always a stray quote. Then only the first physical line is
 * reported as a malformed record and splitting resumes on the next line, so one bad quote costs
 * one row, not the rest of the file.
 */
import { ListInputError } from './list-dialect';

export interface RawRecord {
  /** The bytes the offsets below point into; valid only during the callback. */
  buf: Buffer;
  start: number;
  /** Where the line terminator starts (== end when the file ends without one). */
  contentEnd: number;
  end: number;
  /** Field i's content is buf[bounds[2i], bounds[2i+1]), inside its quotes when quoted (i < fieldCount). */
  bounds: Int32Array;
  /** 1 when field i was quoted (i < fieldCount). */
  quoted: Uint8Array;
  fieldCount: number;
  /** The physical line (1-based) the record starts on. */
  line: number;
  /** The record's byte offset in the whole file. */
  offset: number;
  /** Set when the record is malformed: what is wrong, in words a mailer can act on. */
  error?: string;
}

export interface SplitterOptions {
  delimiter: number;
  unitWidth: 1 | 2;
  littleEndian: boolean;
  /** Fields each record must have (the header's count); undefined while reading the header. */
  expectedFields?: number;
  /** Line number of the first record given to this splitter. */
  firstLine?: number;
  /** Byte offset in the file of the first byte given to this splitter. */
  firstOffset?: number;
  /** Longest record accepted (bytes); protects memory against a quote that never closes. */
  maxRecordBytes?: number;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** Bad input, not a fault: the job fails at once, without retries, naming the line. */
export function recordTooLong(line: number, maxRecordBytes: number): ListInputError {
  return new ListInputError(`line ${line}: a record longer than ${maxRecordBytes} bytes; the file is probably not a CSV list`, 'RECORD_TOO_LONG');
}

/**
 * pending and chunk as one Buffer without copying, when chunk continues pending in the same
 * memory (a caller feeding one large read in slices), else undefined.
 */
function adjoining(pending: Buffer, chunk: Buffer): Buffer | undefined {
  if (pending.buffer !== chunk.buffer || pending.byteOffset + pending.length !== chunk.byteOffset) return undefined;
  return Buffer.from(pending.buffer, pending.byteOffset, pending.length + chunk.length);
}

export class RecordSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private line: number;
  private offset: number;
  private readonly maxRecordBytes: number;
  private readonly record: RawRecord;

  constructor(private readonly options: SplitterOptions) {
    this.line = options.firstLine ?? 1;
    this.offset = options.firstOffset ?? 0;
    this.maxRecordBytes = options.maxRecordBytes ?? 1 << 20;
    this.record = { buf: this.pending, start: 0, contentEnd: 0, end: 0, bounds: new Int32Array(64), quoted: new Uint8Array(32), fieldCount: 0, line: 0, offset: 0 };
  }

  /** Records field `index` (growing the record's arrays for a row with very many fields). */
  private addField(index: number, start: number, end: number, quoted: boolean): void {
    const record = this.record;
    if (index >= record.quoted.length) {
      const bounds = new Int32Array(record.bounds.length * 2);
      bounds.set(record.bounds);
      const flags = new Uint8Array(record.quoted.length * 2);
      flags.set(record.quoted);
      record.bounds = bounds;
      record.quoted = flags;
    }
    record.bounds[2 * index] = start;
    record.bounds[2 * index + 1] = end;
    record.quoted[index] = quoted ? 1 : 0;
  }

  set expectedFields(count: number) {
    this.options.expectedFields = count;
  }

  /** Feeds bytes; calls onRecord for every complete record (returning false stops early). */
  push(chunk: Buffer, onRecord: (record: RawRecord) => boolean | void): boolean {
    const carried = this.pending.length;
    const buf = carried === 0 ? chunk : (adjoining(this.pending, chunk) ?? Buffer.concat([this.pending, chunk]));
    const consumed = this.scan(buf, false, onRecord);
    if (consumed < 0) return false;
    // What is left over is kept as a view of chunk when it lies there, so that the next slice of
    // the same read adjoins it again rather than being copied.
    this.pending = consumed >= carried ? chunk.subarray(consumed - carried) : buf.subarray(consumed);
    if (this.pending.length > this.maxRecordBytes) throw recordTooLong(this.line, this.maxRecordBytes);
    return true;
  }

  /**
   * Where the record that starts at buf[0] ends, exactly as push would cut it, or -1 when buf
   * does not hold enough of it yet. For a caller that skips over simple lines by itself.
   */
  recordEnd(buf: Buffer, atEof: boolean): number {
    let end = -1;
    this.scan(buf, atEof, (record) => {
      end = record.end;
      return false;
    });
    return end;
  }

  /** Flushes the last record (a file need not end with a line break). */
  end(onRecord: (record: RawRecord) => boolean | void): void {
    if (this.pending.length > 0) this.scan(this.pending, true, onRecord);
    this.pending = Buffer.alloc(0);
  }

  /** Returns how many bytes of buf were consumed as whole records, or -1 when stopped. */
  private scan(buf: Buffer, atEof: boolean, onRecord: (record: RawRecord) => boolean | void): number {
    const { delimiter, unitWidth: w, littleEndian } = this.options;
    const length = buf.length - (buf.length % w);
    const unit = w === 1 ? (i: number) => buf[i]! : littleEndian ? (i: number) => buf[i]! | (buf[i + 1]! << 8) : (i: number) => (buf[i]! << 8) | buf[i + 1]!;
    const record = this.record;
    record.buf = buf;
    let start = 0;
    records: while (start < length) {
      let fieldCount = 0;
      let i = start;
      let newlines = 0;
      let firstLineEnd = -1;
      let error: string | undefined;
      let contentEnd = -1;
      let end = -1;
      // one field per iteration
      for (;;) {
        if (i < length && (w === 1 ? buf[i]! : unit(i)) === QUOTE) {
          const fieldStart = i + w;
          let j = fieldStart;
          let closed = -1;
          while (j < length) {
            const c = (w === 1 ? buf[j]! : unit(j));
            if (c === QUOTE) {
              if (j + w < length && (w === 1 ? buf[j + w]! : unit(j + w)) === QUOTE) {
                j += 2 * w;
                continue;
              }
              if (j + w >= length && !atEof) break; // cannot tell "" from " yet
              closed = j;
              break;
            }
            if (c === LF || c === CR) {
              if (c === CR && j + w < length && (w === 1 ? buf[j + w]! : unit(j + w)) === LF) j += w;
              newlines++;
              if (firstLineEnd < 0) firstLineEnd = j + w;
            }
            j += w;
          }
          if (closed < 0) {
            const tooLong = length - start > this.maxRecordBytes;
            if (!atEof && !(tooLong && firstLineEnd >= 0)) return start;
            if (firstLineEnd >= 0) {
              if (this.cutAtFirstLine(buf, start, firstLineEnd, onRecord) < 0) return -1;
              start = firstLineEnd;
              continue records;
            }
            error = `a quoted field that starts on line ${this.line} is never closed`;
            this.addField(fieldCount++, fieldStart, length, false);
            contentEnd = end = length;
            break;
          }
          this.addField(fieldCount++, fieldStart, closed, true);
          i = closed + w;
          if (i < length) {
            const c = (w === 1 ? buf[i]! : unit(i));
            if (c !== delimiter && c !== CR && c !== LF) {
              error ??= `unexpected text after the closing quote of field ${fieldCount}`;
              while (i < length) {
                const d = (w === 1 ? buf[i]! : unit(i));
                if (d === delimiter || d === CR || d === LF) break;
                i += w;
              }
            }
          }
        } else {
          const fieldStart = i;
          while (i < length) {
            const c = (w === 1 ? buf[i]! : unit(i));
            if (c === delimiter || c === CR || c === LF) break;
            i += w;
          }
          this.addField(fieldCount++, fieldStart, i, false);
        }
        if (i >= length) {
          if (!atEof) return start;
          contentEnd = end = length;
          break;
        }
        const c = (w === 1 ? buf[i]! : unit(i));
        if (c === delimiter) {
          i += w;
          continue;
        }
        contentEnd = i;
        if (c === CR) {
          if (i + w >= length && !atEof) return start;
          end = i + w < length && (w === 1 ? buf[i + w]! : unit(i + w)) === LF ? i + 2 * w : i + w;
        } else {
          end = i + w;
        }
        newlines++;
        break;
      }
      const expected = this.options.expectedFields;
      if (!error && expected !== undefined && fieldCount !== expected && !(fieldCount === 1 && contentEnd === start)) {
        error = `expected ${expected} fields (as in the header), found ${fieldCount}`;
      }
      if (error && firstLineEnd >= 0 && firstLineEnd < end) {
        if (this.cutAtFirstLine(buf, start, firstLineEnd, onRecord) < 0) return -1;
        start = firstLineEnd;
        continue;
      }
      // The limit holds for every record, wherever it falls in the slices it arrived in (the
      // check on what is left pending saw only records still unfinished at a slice's end).
      if (end - start > this.maxRecordBytes) throw recordTooLong(this.line, this.maxRecordBytes);
      record.start = start;
      record.contentEnd = contentEnd;
      record.end = end;
      record.fieldCount = fieldCount;
      record.line = this.line;
      record.offset = this.offset;
      record.error = error;
      this.line += newlines;
      this.offset += end - start;
      start = end;
      if (onRecord(record) === false) return -1;
    }
    return start;
  }

  /** Reports the first physical line of a record as malformed (a stray opening quote). */
  private cutAtFirstLine(
    buf: Buffer,
    start: number,
    firstLineEnd: number,
    onRecord: (record: RawRecord) => boolean | void,
  ): number {
    const w = this.options.unitWidth;
    const record = this.record;
    if (firstLineEnd - start > this.maxRecordBytes) throw recordTooLong(this.line, this.maxRecordBytes);
    let contentEnd = firstLineEnd - w;
    if (contentEnd - w >= start && this.unitAt(buf, contentEnd) === LF && this.unitAt(buf, contentEnd - w) === CR) contentEnd -= w;
    this.addField(0, start, contentEnd, false);
    record.start = start;
    record.contentEnd = contentEnd;
    record.end = firstLineEnd;
    record.fieldCount = 1;
    record.line = this.line;
    record.offset = this.offset;
    record.error = `a quote opened on line ${this.line} is not closed on that line (an unclosed quote)`;
    this.line += 1;
    this.offset += firstLineEnd - start;
    if (onRecord(record) === false) return -1;
    return firstLineEnd;
  }

  private unitAt(buf: Buffer, i: number): number {
    const { unitWidth: w, littleEndian } = this.options;
    return w === 1 ? buf[i]! : littleEndian ? buf[i]! | (buf[i + 1]! << 8) : (buf[i]! << 8) | buf[i + 1]!;
  }
}
