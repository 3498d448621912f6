import { RecordSplitter, type RawRecord } from './csv-record-splitter';
import { BadRequestError } from '../../lib/errors';
import { checkSoleColumn } from './address-columns';
import { decode, ListInputError, type ListDialect } from './list-dialect';
import { fieldText } from './range-rows';

/** One record of an import file: its fields, or why it cannot be read (its raw text kept). */
export type CsvRecord =
  | { line: number; values: string[]; malformed?: undefined }
  | { line: number; malformed: string; raw: string; /** the fields as far as they could be told apart */ values: string[] };

const SLICE_BYTES = 128 * 1024;
const UTF8: Pick<ListDialect, 'encoding'> = { encoding: 'utf-8' };
const NOT_UTF8 = 'the row holds bytes that are not UTF-8 (save the file as UTF-8)';

/**
 * Called for every record but blank lines, the header first, with why it cannot be read
 * (undefined when it can), and whether it is plain: every byte ASCII and no quote anywhere, so
 * that each field's text is its bytes as they are, one character a byte. The record is valid
 * only during the call.
 */
export type RawRecordHandler = (record: RawRecord, malformed: string | undefined, plain: boolean) => void;

const QUOTE = 0x22;

/**
 * What one pass over a record's bytes tells: PLAIN (all ASCII, no quote), QUOTED (all ASCII, a
 * quote somewhere), or, for a record with a byte over 0x7F, whether its text holds U+FFFD: bytes
 * that are not UTF-8 (or the character itself). Decodes only a record with a byte over 0x7F.
 */
function recordBytes(record: RawRecord): typeof PLAIN | typeof QUOTED | typeof UTF8_TEXT | typeof NOT_UTF8_TEXT {
  const { buf, contentEnd } = record;
  let kind: typeof PLAIN | typeof QUOTED = PLAIN;
  for (let i = record.start; i < contentEnd; i++) {
    const c = buf[i]!;
    if (c > 0x7f) return decode(buf, record.start, contentEnd, 'utf-8').includes('\uFFFD') ? NOT_UTF8_TEXT : UTF8_TEXT;
    if (c === QUOTE) kind = QUOTED;
  }
  return kind;
}
const PLAIN = 0;
const QUOTED = 1;
const UTF8_TEXT = 2;
const NOT_UTF8_TEXT = 3;

/**
 * The input in slices for the splitter: a UTF-8 byte-order mark at its start dropped, each slice
 * at most 128 KiB and a copy (the splitter may keep a view of what it was given until the next
 * push, and a stream may reuse its blocks).
 */
export async function* csvSlices(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let first = true;
  for await (const piece of input) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (first && chunk.length > 0) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) yield Buffer.from(chunk.subarray(at, at + SLICE_BYTES));
  }
}

/**
 * The import files' record reader at the level of bytes: the list cleanse's record splitter with
 * blank lines left out, the first readable record taken as the header whose field count every
 * later record must have, and a record whose text is not UTF-8 malformed. `readCsvRecords` gives
 * the same records as text; `mailpref address-key` reads them here, and copies the fields it does
 * not need as bytes.
 */
export class CsvRecordReader {
  private readonly splitter: RecordSplitter;
  private headerSeen = false;
  private readonly onSplit: (record: RawRecord) => void;

  constructor(onRecord: RawRecordHandler, options: { maxRecordBytes?: number } = {}) {
    this.splitter = new RecordSplitter({ delimiter: 0x2c, unitWidth: 1, littleEndian: false, maxRecordBytes: options.maxRecordBytes });
    this.onSplit = (record) => {
      if (record.fieldCount === 1 && record.contentEnd === record.start && !record.error) return; // a blank line
      const bytes = recordBytes(record);
      const malformed = record.error ?? (bytes === NOT_UTF8_TEXT ? NOT_UTF8 : undefined);
      if (malformed === undefined && !this.headerSeen) {
        this.headerSeen = true;
        this.splitter.expectedFields = record.fieldCount;
      }
      onRecord(record, malformed, bytes === PLAIN && malformed === undefined);
    };
  }

  /** One slice of csvSlices: calls onRecord for every record it completes. */
  push(slice: Buffer): void {
    this.splitter.push(slice, this.onSplit);
  }

  /** The last record (a file need not end with a line break). */
  end(): void {
    this.splitter.end(this.onSplit);
  }
}

/** Field `index` of a record as text (UTF-8, a quoted field's doubled quotes undone). */
export function recordField(record: RawRecord, index: number): string {
  return fieldText(record, index, UTF8);
}

/** The record's bytes from start to end as UTF-8 text. */
export function recordSpan(record: RawRecord, start: number, end: number): string {
  return decode(record.buf, start, end, 'utf-8');
}

/**
 * The import files' record reader (returned cards, postcard addresses, moves): the list cleanse's
 * byte-level record splitter, so that every import reads a file as the cleanse does — one record
 * per record whatever its quotes (a quote left open costs its one line, a record with more or
 * fewer fields than the header is malformed, each record once, in order, with the line it starts
 * on). The first record is the header (blank lines before it, and blank lines anywhere, are not
 * records). UTF-8, with or without a byte-order mark; a record holding bytes that are not UTF-8
 * is malformed (its fields would be read as U+FFFD), never half-read.
 */
export async function* readCsvRecords(input: AsyncIterable<Buffer | string>, options: { trim?: boolean; maxRecordBytes?: number } = {}): AsyncGenerator<CsvRecord> {
  const ready: CsvRecord[] = [];
  const onRecord = (record: RawRecord, malformed: string | undefined): void => {
    const values: string[] = [];
    for (let i = 0; i < record.fieldCount; i++) values.push(options.trim ? recordField(record, i).trim() : recordField(record, i));
    if (malformed === undefined) ready.push({ line: record.line, values });
    else ready.push({ line: record.line, malformed, raw: decode(record.buf, record.start, record.contentEnd, 'utf-8'), values });
  };
  const reader = new CsvRecordReader(onRecord, options);
  for await (const slice of csvSlices(input)) {
    reader.push(slice);
    yield* ready.splice(0);
  }
  reader.end();
  yield* ready.splice(0);
}

/**
 * Finds a column by any of its usual names (case, spaces and punctuation ignored); -1 when there
 * is none, and a ListInputError when its name is on two columns (checkSoleColumn).
 */
export function findColumn(header: string[], names: string[]): number {
  const wanted = new Set(names.map(simplifyHeader));
  const index = header.findIndex((name) => wanted.has(simplifyHeader(name)));
  if (index >= 0) checkSoleColumn(header, index);
  return index;
}

export function simplifyHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** An import's bad input (a record over the size limit) as the 400 its callers answer with; anything else as it was. */
export function asBadRequest(error: unknown): never {
  if (error instanceof ListInputError) throw new BadRequestError(error.message, undefined, error.code);
  throw error;
}
