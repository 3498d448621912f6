/**
 * The rows of `mailpref address-key`, a slice of input at a time: gathered as the record reader
 * gives them (their address fields decoded, what to copy of each noted), then keyed and written
 * in one loop, as the bytes they came in with with the key and status appended.
 *
 * Keying a slice's rows in a loop of their own, rather than from inside the reader's callback,
 * saves ~20% of the command's CPU (docs/performance.md): the key function's code and tables stay
 * hot between rows instead of alternating with the splitter's.
 */
import type { ByteBuilder } from '../lists/cleanse/byte-builder';
import type { RawRecord } from '../lists/cleanse/csv-record-splitter';
import { recordField, recordSpan } from '../lists/cleanse/csv-records';
import { csvField } from '../lists/cleanse/list-dialect';
import { addressLineKey, deliveryPointKey, writeAddressLineKey, writeDeliveryPointKey, type AddressInput, type KeyPieces } from './delivery-point-key';

export const MALFORMED_ROW = 'MALFORMED_ROW';

export interface AddressKeySummary {
  rows: number;
  keyed: number;
  byReason: Record<string, number>;
}

/** Which field of a record each address field is (undefined: no such column). */
export type ColumnMap = Partial<Record<keyof AddressInput, number>>;

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** How a gathered row is written. */
const COPIED = 0; // its bytes from the input, as they are
const REWRITTEN = 1; // its fields re-quoted, gathered when it was read
const MALFORMED = 2; // its line of text, with an empty key and MALFORMED_ROW

/** A CSV line of the output (a header, a malformed row): each field quoted only when it must be. */
export function csvLine(values: readonly string[]): string {
  return values.map((value) => csvField(value, ',')).join(',') + '\n';
}

/**
 * Field `index` of a record as the output writes it, copied as bytes: the field's text quoted
 * only when it holds a quote, comma or line break (as csvField writes text). A quoted field
 * that needs its quotes is its input bytes as they were; one that does not loses them.
 */
function appendField(out: ByteBuilder, record: RawRecord, index: number): void {
  const { buf } = record;
  const start = record.bounds[2 * index]!;
  const end = record.bounds[2 * index + 1]!;
  let quotes = 0;
  let mustQuote = false;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === QUOTE) quotes++;
    else if (c === COMMA || c === CR || c === LF) mustQuote = true;
  }
  if (!mustQuote && quotes === 0) {
    out.append(buf, start, end);
  } else if (record.quoted[index]) {
    // inside its quotes, a quote is already doubled
    out.appendByte(QUOTE);
    out.append(buf, start, end);
    out.appendByte(QUOTE);
  } else {
    // a stray quote in an unquoted field: the text quoted, its quotes doubled
    out.appendByte(QUOTE);
    let from = start;
    for (let i = start; i < end; i++) {
      if (buf[i] !== QUOTE) continue;
      out.append(buf, from, i + 1);
      out.appendByte(QUOTE);
      from = i + 1;
    }
    out.append(buf, from, end);
    out.appendByte(QUOTE);
  }
}

/**
 * The key's pieces written into the output as they come, each checked to need no quotes in CSV.
 * No key holds a quote, comma, line break or non-ASCII letter today (its words come from the
 * tokenizer); should one ever, `plain` turns false and the row's key is written again as text,
 * quoted as csvField quotes it, so that the output stays what the text path wrote.
 */
class KeyBytes implements KeyPieces {
  plain = true;
  out: ByteBuilder | undefined;

  add(piece: string): void {
    if (this.plain && !this.out!.appendPlainCsv(piece)) this.plain = false;
  }
}

/** A row's address, its fields all there from the start: V8 gives every row one shape, which the key function reads directly. */
class RowAddress implements AddressInput {
  address1: string | undefined = undefined;
  address2: string | undefined = undefined;
  city: string | undefined = undefined;
  state: string | undefined = undefined;
  zip: string | undefined = undefined;
  zip4: string | undefined = undefined;
}

/**
 * One slice's rows between the record reader and the output. The records' bytes must stay as
 * they are until `write` (the reader's slices do: each is a copy, kept until the next push).
 */
export class AddressKeyRows {
  private count = 0;
  private readonly addresses: RowAddress[] = [];
  private readonly keyBytes = new KeyBytes();
  private how = new Uint8Array(4096);
  private starts = new Int32Array(4096);
  private ends = new Int32Array(4096);
  private buffers: Buffer[] = [];
  /** A malformed row's output line, or a rewritten row's fields (ByteBuilder#take), by row. */
  private readonly written: Array<string | Buffer | undefined> = [];
  /** A plain record's fields are substrings of the bytes it lies in, decoded once as Latin-1 (one character a byte, so byte offsets are character offsets; for ASCII, the UTF-8 text). */
  private bytes: Buffer | undefined;
  private bytesText = '';
  private readonly spanFirst: number;
  private readonly spanLast: number;

  constructor(
    private readonly columns: ColumnMap,
    private readonly singleLine: boolean,
    /** Where a rewritten row's fields are gathered until written. */
    private readonly rewrites: ByteBuilder,
  ) {
    const used = Object.values(columns) as number[];
    this.spanFirst = Math.min(...used);
    this.spanLast = Math.max(...used);
  }

  /** A readable record; `plain`: the reader found neither a quote nor a byte over 0x7F in it. */
  add(record: RawRecord, plain: boolean): void {
    const row = this.next();
    const address = this.addresses[row]!;
    const { columns } = this;
    let text: string;
    let offset: number;
    if (plain) {
      if (record.buf !== this.bytes) {
        this.bytes = record.buf;
        this.bytesText = record.buf.toString('latin1');
      }
      text = this.bytesText;
      offset = 0;
    } else {
      // The address fields decoded as one piece, from the first of them to the last, and taken
      // apart as substrings when the piece has as many characters as bytes and no quote; else
      // field by field.
      const start = record.bounds[2 * this.spanFirst]!;
      const end = record.bounds[2 * this.spanLast + 1]!;
      text = recordSpan(record, start, end);
      offset = text.length === end - start && !text.includes('"') ? start : -1;
    }
    const field = (index: number | undefined): string | undefined => {
      if (index === undefined) return undefined;
      if (offset < 0) return recordField(record, index);
      return text.slice(record.bounds[2 * index]! - offset, record.bounds[2 * index + 1]! - offset);
    };
    address.address1 = field(columns.address1);
    address.address2 = field(columns.address2);
    address.city = field(columns.city);
    address.state = field(columns.state);
    address.zip = field(columns.zip);
    address.zip4 = field(columns.zip4);

    const { buf, start, contentEnd } = record;
    let copied = plain;
    if (!copied) {
      copied = true;
      for (let i = start; i < contentEnd; i++) {
        if (buf[i] === QUOTE) {
          copied = false;
          break;
        }
      }
    }
    if (copied) {
      // a record without a quote anywhere (so without a line break either): its bytes whole
      this.how[row] = COPIED;
      this.buffers[row] = buf;
      this.starts[row] = start;
      this.ends[row] = contentEnd;
    } else {
      for (let i = 0; i < record.fieldCount; i++) {
        if (i > 0) this.rewrites.appendByte(COMMA);
        appendField(this.rewrites, record, i);
      }
      this.how[row] = REWRITTEN;
      this.written[row] = this.rewrites.take();
    }
  }

  /** A malformed record: its fields as far as they could be told apart, an empty key and MALFORMED_ROW. */
  addMalformed(record: RawRecord): void {
    const values: string[] = [];
    for (let i = 0; i < record.fieldCount; i++) values.push(recordField(record, i));
    values.push('', MALFORMED_ROW);
    const row = this.next();
    this.how[row] = MALFORMED;
    this.written[row] = csvLine(values);
  }

  /** Keys the rows gathered, writes them to `out` in order, counts them in `summary`, and starts over. */
  write(out: ByteBuilder, summary: AddressKeySummary): void {
    const { count, addresses, how } = this;
    const keyBytes = this.keyBytes;
    keyBytes.out = out;
    for (let row = 0; row < count; row++) {
      summary.rows++;
      if (how[row] === MALFORMED) {
        out.appendText(this.written[row] as string);
        summary.byReason[MALFORMED_ROW] = (summary.byReason[MALFORMED_ROW] ?? 0) + 1;
        continue;
      }
      if (how[row] === COPIED) {
        out.append(this.buffers[row]!, this.starts[row]!, this.ends[row]!);
      } else {
        const fields = this.written[row] as Buffer;
        out.append(fields, 0, fields.length);
      }
      const address = addresses[row]!;
      out.appendByte(COMMA);
      const keyStart = out.pending;
      keyBytes.plain = true;
      const failure = this.singleLine ? writeAddressLineKey(address.address1 ?? '', keyBytes) : writeDeliveryPointKey(address, keyBytes);
      if (failure === undefined) {
        summary.keyed++;
        if (!keyBytes.plain) {
          // rare: the key as text, quoted as csvField quotes it
          out.dropAfter(keyStart);
          const result = this.singleLine ? addressLineKey(address.address1 ?? '') : deliveryPointKey(address);
          out.appendText(csvField(result.ok ? result.key : '', ','));
        }
        out.appendByte(COMMA);
        out.appendText('OK');
      } else {
        out.dropAfter(keyStart);
        summary.byReason[failure.reason] = (summary.byReason[failure.reason] ?? 0) + 1;
        out.appendByte(COMMA);
        out.appendText(failure.reason);
      }
      out.appendByte(LF);
    }
    this.clear();
  }

  private next(): number {
    const row = this.count++;
    if (row >= this.how.length) {
      const grow = <T extends Uint8Array | Int32Array>(old: T, made: T): T => {
        made.set(old);
        return made;
      };
      this.how = grow(this.how, new Uint8Array(2 * row));
      this.starts = grow(this.starts, new Int32Array(2 * row));
      this.ends = grow(this.ends, new Int32Array(2 * row));
    }
    if (row >= this.addresses.length) this.addresses.push(new RowAddress());
    return row;
  }

  private clear(): void {
    // What the rows pointed at goes with them (the slices and their text).
    for (let row = 0; row < this.count; row++) {
      this.written[row] = undefined;
      this.buffers[row] = undefined!;
    }
    this.count = 0;
    this.bytes = undefined;
    this.bytesText = '';
  }
}
