/**
 * `mailpref address-key`: a CSV of addresses on stdin → the same rows on stdout with
 * `delivery_point_key` and `address_status` appended, one output row per input row, in order,
 * streaming (memory stays flat whatever the list size). How a mailer checks a list before
 * uploading it.
 *
 * Rows are read by the imports' one record reader (the list cleanse's), so bad CSV never makes a
 * row vanish: a row whose field count differs from the header, or whose quote is never closed on
 * its line (that one line), is written with its fields as far as they could be told apart, an
 * empty key and the status MALFORMED_ROW appended, and stderr names its line; stray quotes inside
 * an unquoted field are kept as text.
 */
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { ByteBuilder, checkSoleColumn, csvField, csvSlices, CsvRecordReader, ListInputError, recordField, recordSpan, simplifyHeader, type RawRecord } from '../lists/cleanse';
import { stdinWithProgress } from '../lib/progress-bar';
import { addressLineKey, deliveryPointKey, type KeyResult } from './delivery-point-key';
import { InputError } from '../lib/errors';

export const MALFORMED_ROW = 'MALFORMED_ROW';

/** Header names accepted for each field (lower-cased, spaces and punctuation removed). */
const COLUMN_NAMES = {
  address1: ['address1', 'addressline1', 'addr1', 'street', 'streetaddress', 'address'],
  address2: ['address2', 'addressline2', 'addr2', 'apt', 'unit', 'suite'],
  city: ['city', 'town'],
  state: ['state', 'st', 'province'],
  zip: ['zip', 'zipcode', 'zip5', 'postalcode', 'postcode'],
  zip4: ['zip4', 'plus4'],
} as const;

type Field = keyof typeof COLUMN_NAMES;
type ColumnMap = Partial<Record<Field, number>>;

export class AddressKeyInputError extends InputError {}

export function findColumns(header: readonly string[]): { columns: ColumnMap; singleLine: boolean } {
  const names = header.map(simplifyHeader);
  const columns: ColumnMap = {};
  for (const field of Object.keys(COLUMN_NAMES) as Field[]) {
    for (const candidate of COLUMN_NAMES[field]) {
      const index = names.indexOf(candidate);
      if (index >= 0) {
        checkSoleColumn(header, index);
        columns[field] = index;
        break;
      }
    }
  }
  if (columns.address1 === undefined) {
    throw new AddressKeyInputError(
      `line 1: no address column in the header (${header.join(',')}); expected address1,address2,city,state,zip or a single address column`,
    );
  }
  // A lone `address` column holds the whole address on one line.
  const singleLine = names[columns.address1] === 'address' && columns.city === undefined && columns.state === undefined && columns.zip === undefined;
  return { columns, singleLine };
}

export interface AddressKeySummary {
  rows: number;
  keyed: number;
  byReason: Record<string, number>;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** A CSV line of the output (a header, a malformed row): each field quoted only when it must be. */
function csvLine(values: readonly string[]): string {
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
 * The output row of a readable record: its fields as the input had them (a record without a
 * quote anywhere (so no line break either) is copied whole, in one piece), then the key and status.
 */
function appendRow(out: ByteBuilder, record: RawRecord, key: string, status: string): void {
  const { buf, start, contentEnd } = record;
  let plain = true;
  for (let i = start; i < contentEnd; i++) {
    const c = buf[i]!;
    if (c === QUOTE) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out.append(buf, start, contentEnd);
  } else {
    for (let i = 0; i < record.fieldCount; i++) {
      if (i > 0) out.appendByte(COMMA);
      appendField(out, record, i);
    }
  }
  out.appendByte(COMMA);
  out.appendText(csvField(key, ','));
  out.appendByte(COMMA);
  out.appendText(status);
  out.appendByte(LF);
}

/**
 * Reads the records with the imports' record reader (the cleanse's splitter) and writes each row
 * as the bytes it came in with, the key and status appended, gathered in large blocks: only the
 * address fields are ever decoded. The output is what writing every field's text with csvField
 * gives (the address-key tests compare the two on odd input), at several times the speed.
 */
export async function runAddressKey(input: Readable, output: Writable, errors: Writable): Promise<AddressKeySummary> {
  const summary: AddressKeySummary = { rows: 0, keyed: 0, byReason: {} };
  let header: string[] | undefined;
  let columns: ColumnMap = {};
  let singleLine = false;
  const out = new ByteBuilder();
  let messages = '';
  // The address fields are decoded as one piece, from the first of them to the last, and taken
  // apart as substrings (one decode a row instead of one a field), when the piece has as many
  // characters as bytes and no quote (so that byte offsets are its character offsets).
  let spanFirst = -1;
  let spanLast = -1;
  let span = '';
  let spanStart = -1;
  const text = (record: RawRecord, index: number | undefined): string | undefined => {
    if (index === undefined) return undefined;
    if (spanStart < 0) return recordField(record, index);
    return span.slice(record.bounds[2 * index]! - spanStart, record.bounds[2 * index + 1]! - spanStart);
  };
  const onRecord = (record: RawRecord, malformed: string | undefined): void => {
    if (!header) {
      if (malformed !== undefined) throw new AddressKeyInputError(`line ${record.line}: the header row cannot be read (${malformed})`);
      header = [];
      for (let i = 0; i < record.fieldCount; i++) header.push(recordField(record, i));
      ({ columns, singleLine } = findColumns(header));
      const used = Object.values(columns);
      spanFirst = Math.min(...used);
      spanLast = Math.max(...used);
      out.appendText(csvLine([...header, 'delivery_point_key', 'address_status']));
      return;
    }
    summary.rows++;
    if (malformed !== undefined) {
      messages += `line ${record.line}: ${malformed}; written with status ${MALFORMED_ROW}\n`;
      summary.byReason[MALFORMED_ROW] = (summary.byReason[MALFORMED_ROW] ?? 0) + 1;
      const values: string[] = [];
      for (let i = 0; i < record.fieldCount; i++) values.push(recordField(record, i));
      out.appendText(csvLine([...values, '', MALFORMED_ROW]));
      return;
    }
    spanStart = -1;
    if (spanFirst !== spanLast) {
      const start = record.bounds[2 * spanFirst]!;
      const end = record.bounds[2 * spanLast + 1]!;
      span = recordSpan(record, start, end);
      if (span.length === end - start && !span.includes('"')) spanStart = start;
    }
    const result: KeyResult = singleLine
      ? addressLineKey(text(record, columns.address1) ?? '')
      : deliveryPointKey({
          address1: text(record, columns.address1),
          address2: text(record, columns.address2),
          city: text(record, columns.city),
          state: text(record, columns.state),
          zip: text(record, columns.zip),
          zip4: text(record, columns.zip4),
        });
    if (result.ok) summary.keyed++;
    else summary.byReason[result.reason] = (summary.byReason[result.reason] ?? 0) + 1;
    appendRow(out, record, result.ok ? result.key : '', result.ok ? 'OK' : result.reason);
  };
  // What a slice's records give is written once the slice is read (a slice that fails part-way,
  // on a record over the size limit, writes nothing of its own).
  const flush = async (): Promise<void> => {
    if (messages) errors.write(messages);
    messages = '';
    const bytes = out.take();
    if (bytes.length > 0 && !output.write(bytes)) await once(output, 'drain');
  };
  const reader = new CsvRecordReader(onRecord);
  try {
    for await (const slice of csvSlices(input)) {
      reader.push(slice);
      await flush();
    }
    reader.end();
    await flush();
  } catch (error) {
    if (error instanceof ListInputError) throw new AddressKeyInputError(error.message);
    throw error;
  }
  if (!header) throw new AddressKeyInputError('line 1: the input is empty; expected a CSV header');
  return summary;
}

/** What `mailpref address-key` does: stdin to stdout, the summary on stderr, exit status 1 on input it cannot read. */
export async function addressKeyAction(): Promise<void> {
  try {
    const summary = await runAddressKey(stdinWithProgress('keying addresses'), process.stdout, process.stderr);
    const reasons = Object.entries(summary.byReason).map(([reason, count]) => `${reason} ${count}`).join(', ');
    process.stderr.write(`address-key: ${summary.rows} rows, ${summary.keyed} keyed${reasons ? `, without a key: ${reasons}` : ''}\n`);
  } catch (error) {
    if (!(error instanceof AddressKeyInputError)) throw error;
    process.stderr.write(`mailpref address-key: ${error.message}\n`);
    process.exitCode = 1;
  }
}

export function registerAddressKeyCommand(program: Command): void {
  program
    .command('address-key')
    .description('read a CSV of addresses on stdin (header address1,address2,city,state,zip or one address column) and write it to stdout with delivery_point_key and address_status appended')
    .action(addressKeyAction);
}
