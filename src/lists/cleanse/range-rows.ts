import { deliveryPointKeyHash, KEY_HASHED, type AddressInput, type KeyHashResult } from '../../address/delivery-point-key';
import type { KeyHash } from '../../address/key-hash';
import { ADDRESS_FIELDS, type AddressColumns } from './address-columns';
import { RecordSplitter, type RawRecord } from './csv-record-splitter';
import { decode, type ListDialect } from './list-dialect';
import { holdsUtf8Character } from './list-encoding';

export interface RangeRowsOptions {
  dialect: ListDialect;
  headerFields: string[];
  columns: AddressColumns;
  firstLine: number;
  firstOffset: number;
  maxRecordBytes?: number;
  onProgress?: (rowsIn: number, bytesDone: number) => void;
  /**
   * Each row's key, kept from an earlier walk over the same range (mode 'record' keeps them, mode
   * 'replay' gives them back instead of decoding the address and keying it again).
   */
  keys?: { mode: 'record' | 'replay'; recorded: RecordedKeys };
}

/**
 * The keys of a range's rows in row order, as a walk found them: the hash lanes of every keyed row
 * (8 bytes a row) and the failure of every row without a key. What a second walk over the same
 * range (the cleanse after its refusal lookup) reads instead of keying every row again.
 */
export class RecordedKeys {
  hi = new Uint32Array(1024);
  lo = new Uint32Array(1024);
  rows = 0;
  readonly failures = new Map<number, KeyHashResult>();

  push(result: KeyHashResult, hash: KeyHash): void {
    if (this.rows === this.hi.length) {
      const hi = new Uint32Array(this.rows * 2);
      hi.set(this.hi);
      this.hi = hi;
      const lo = new Uint32Array(this.rows * 2);
      lo.set(this.lo);
      this.lo = lo;
    }
    if (result.ok) {
      this.hi[this.rows] = hash.hi;
      this.lo[this.rows] = hash.lo;
    } else this.failures.set(this.rows, result);
    this.rows++;
  }

  get memoryBytes(): number {
    return this.hi.byteLength + this.lo.byteLength;
  }
}

/** What one walk over a range found besides its rows: how many, and how many blank lines. */
export interface RangeRowTotals {
  rows: number;
  /** Empty lines: not rows, they hold no data, and are left out of the outputs. */
  blankLines: number;
}

/**
 * Called for every row (blank lines are skipped) with whether its address has a delivery-point
 * key, or undefined when the record is malformed (record.error says why). When it has one, `hash`
 * holds the key's hash (the tables look keys up by it). The record and the hash are valid only
 * during the call.
 */
export type OnRow = (record: RawRecord, key: KeyHashResult | undefined, hash: KeyHash) => void;

const SLICE_BYTES = 128 * 1024;

/** An address whose bytes are not all characters of the file's encoding: no key (never a wrong one). */
export const NOT_IN_ENCODING: KeyHashResult = {
  ok: false,
  reason: 'BAD_ENCODING',
  message: "the address holds bytes that are not characters of the file's encoding (read as \u{FFFD}): the file is damaged or mixes encodings",
};
const READS_TWO_WAYS: KeyHashResult = {
  ok: false,
  reason: 'BAD_ENCODING',
  message: 'the address holds UTF-8 characters in a file read as Windows-1252: it reads differently in the two encodings the file mixes',
};

/** A malformed record's place among the recorded keys (it has no key and no address). */
const MALFORMED: KeyHashResult = { ok: false, reason: 'UNREADABLE', message: 'malformed record' };

const holdsReplacement = (text: string | undefined): boolean => text !== undefined && text.indexOf('\uFFFD') >= 0;

/**
 * The address of the row being read, one object for every row: a class whose fields all exist
 * from the start, so that V8 gives it one fixed shape and the key function reads and this file
 * writes its fields directly (an object literal given its fields row by row went through V8's
 * generic property lookups: ~5% of a cleanse's instructions). The city is decoded only when
 * read: the key reads it only for a row without a ZIP code.
 */
class RowAddress implements AddressInput {
  address1: string | undefined = undefined;
  address2: string | undefined = undefined;
  state: string | undefined = undefined;
  zip: string | undefined = undefined;
  zip4: string | undefined = undefined;

  constructor(private readonly readCity: () => string | undefined) {}

  get city(): string | undefined {
    return this.readCity();
  }
}

/** Field index of a record as text: decoded, and with a quoted field's doubled quotes undone. */
export function fieldText(record: RawRecord, index: number, dialect: Pick<ListDialect, 'encoding'>): string {
  return unquoted(record, index, decode(record.buf, record.bounds[2 * index]!, record.bounds[2 * index + 1]!, dialect.encoding));
}

/** The decoded text of field index, with its doubled quotes undone when it was quoted. */
function unquoted(record: RawRecord, index: number, value: string): string {
  return record.quoted[index] && value.includes('"') ? value.replace(/""/g, '"') : value;
}

/**
 * Walks the records of one byte range of a list and gives each row its delivery-point key: the
 * one place that splits records, decodes the address fields and computes keys, for the cleanse
 * (cleanseRange) and for the key pass of a chunked de-duplication (first-lines.ts), so that both
 * see the same rows with the same keys and line numbers. `afterSlice` runs after every slice of
 * input (the cleanse flushes its outputs there).
 */
export async function walkRangeRows(input: AsyncIterable<Buffer>, options: RangeRowsOptions, onRow: OnRow, afterSlice?: () => Promise<void>): Promise<RangeRowTotals> {
  const { dialect, columns } = options;
  const totals: RangeRowTotals = { rows: 0, blankLines: 0 };
  const splitter = new RecordSplitter({
    delimiter: dialect.delimiter.charCodeAt(0),
    unitWidth: dialect.unitWidth,
    littleEndian: dialect.littleEndian,
    expectedFields: options.headerFields.length,
    firstLine: options.firstLine,
    firstOffset: options.firstOffset,
    maxRecordBytes: options.maxRecordBytes,
  });
  // Column of each address field, -1 when the list has none (read field by field, not in a loop
  // over names: a store under a computed name costs more than the decoding).
  const [address1, address2, city, state, zip, zip4] = ADDRESS_FIELDS.map((name) => columns[name] ?? -1) as [number, number, number, number, number, number];
  let nextProgress = 10_000;
  // A UTF-8 list's address fields are decoded as one piece, from the first of them to the last,
  // and taken apart as substrings: one decode a row instead of one a field. Only when the piece
  // has as many characters as bytes do the fields' byte offsets give their places in it (every
  // byte became one character: ASCII, or a stray byte that decodes as U+FFFD either way).
  const spanColumns = [address1, address2, city, state, zip, zip4].filter((column) => column >= 0);
  const spanFirst = dialect.encoding === 'utf-8' && spanColumns.length > 1 ? Math.min(...spanColumns) : -1;
  const spanLast = Math.max(...spanColumns);
  let span = '';
  let spanStart = -1; // -1 when the current row's fields are decoded one by one
  const field = (record: RawRecord, index: number): string => {
    if (spanStart < 0 || index < spanFirst || index > spanLast) return fieldText(record, index, dialect);
    return unquoted(record, index, span.slice(record.bounds[2 * index]! - spanStart, record.bounds[2 * index + 1]! - spanStart));
  };
  let encodingFailure = NOT_IN_ENCODING;
  /**
   * Whether the row's address (already read into `address`) is not plainly text of the file's
   * encoding: the fields the key reads (the city only without a ZIP code, as the key reads it).
   */
  const notReadable = (record: RawRecord): boolean => {
    if (holdsReplacement(address.address1) || holdsReplacement(address.address2) || holdsReplacement(address.state) || holdsReplacement(address.zip) || holdsReplacement(address.zip4) || (city >= 0 && !address.zip?.trim() && holdsReplacement(field(record, city)))) {
      encodingFailure = NOT_IN_ENCODING;
      return true;
    }
    if (dialect.mixed) {
      for (const column of spanColumns) {
        if (holdsUtf8Character(record.buf, record.bounds[2 * column]!, record.bounds[2 * column + 1]!)) {
          encodingFailure = READS_TWO_WAYS;
          return true;
        }
      }
    }
    return false;
  };
  let current: RawRecord | undefined;
  const hash: KeyHash = { hi: 0, lo: 0 };
  const recorded = options.keys?.recorded ?? new RecordedKeys();
  const recording = options.keys?.mode === 'record';
  const replaying = options.keys?.mode === 'replay';
  let replayed = 0;
  const address = new RowAddress(() => (city >= 0 && current ? field(current, city) : undefined));

  const onRecord = (record: RawRecord): void => {
    if (record.fieldCount === 1 && record.contentEnd === record.start && !record.error) {
      totals.blankLines++;
      return;
    }
    totals.rows++;
    if (totals.rows >= nextProgress) {
      nextProgress += 10_000;
      options.onProgress?.(totals.rows, record.offset + record.end - record.start - options.firstOffset);
    }
    if (record.error) {
      if (recording) recorded.push(MALFORMED, hash);
      else if (replaying) replayed++;
      onRow(record, undefined, hash);
      return;
    }
    if (replaying) {
      const row = replayed++;
      if (row >= recorded.rows) throw new Error(`line ${record.line}: more rows than the keys recorded for this range (${recorded.rows})`);
      const failure = recorded.failures.get(row);
      if (failure !== undefined) {
        onRow(record, failure === MALFORMED ? undefined : failure, hash);
        return;
      }
      hash.hi = recorded.hi[row]!;
      hash.lo = recorded.lo[row]!;
      onRow(record, KEY_HASHED, hash);
      return;
    }
    spanStart = -1;
    if (spanFirst >= 0) {
      const start = record.bounds[2 * spanFirst]!;
      const end = record.bounds[2 * spanLast + 1]!;
      span = decode(record.buf, start, end, 'utf-8');
      if (span.length === end - start) spanStart = start;
    }
    address.address1 = address1 >= 0 ? field(record, address1) : undefined;
    address.address2 = address2 >= 0 ? field(record, address2) : undefined;
    current = record;
    address.state = state >= 0 ? field(record, state) : undefined;
    address.zip = zip >= 0 ? field(record, zip) : undefined;
    address.zip4 = zip4 >= 0 ? field(record, zip4) : undefined;
    // A span of one character a byte in a file that is UTF-8 throughout is ASCII: nothing to check.
    const result = !(spanStart >= 0 && dialect.cleanUtf8) && notReadable(record) ? encodingFailure : deliveryPointKeyHash(address, hash);
    if (recording) recorded.push(result, hash);
    onRow(record, result, hash);
    current = undefined;
  };

  for await (const chunk of input) {
    // Slices of 128 KiB, yielding in between: a worker sharing its process with the web server
    // (`npm start`) must not hold the event loop for long, or requests and DB connects time out.
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
      splitter.push(chunk.subarray(at, at + SLICE_BYTES), onRecord);
      await afterSlice?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  splitter.end(onRecord);
  await afterSlice?.();
  if (replaying && replayed !== recorded.rows) throw new Error(`the range has ${replayed} rows, but ${recorded.rows} keys were recorded for it`);
  return totals;
}
