/**
 * `mailpref address-key`: a CSV of addresses on stdin → the same rows on stdout with
 * `delivery_point_key` and `address_status` appended, one output row per input row, in order,
 * streaming (memory stays flat whatever the list size). How a mailer checks a list before
 * uploading it.
 *
 * Bad CSV never makes a row vanish:
 * - a row whose field count differs from the header is written as it was, with an empty key and
 *   the status MALFORMED_ROW appended after its own last field, and stderr names its line;
 * - stray quotes inside a field are kept as text (csv-parse `relax_quotes`);
 * - a quote that is never closed swallows the rest of the input, so no row after it can be
 *   trusted: the command stops there with a message naming the line, after writing every row
 *   before it, and exits with status 1.
 */
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import type { Command } from 'commander';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { stdinWithProgress } from '../lib/progress-bar';
import { addressLineKey, deliveryPointKey, type KeyResult } from './delivery-point-key';

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

export class AddressKeyInputError extends Error {}

function findColumns(header: readonly string[]): { columns: ColumnMap; singleLine: boolean } {
  const names = header.map((name) => name.toLowerCase().replace(/[^a-z0-9]/g, ''));
  const columns: ColumnMap = {};
  for (const field of Object.keys(COLUMN_NAMES) as Field[]) {
    for (const candidate of COLUMN_NAMES[field]) {
      const index = names.indexOf(candidate);
      if (index >= 0) {
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

/** Line breaks inside a record's quoted fields (the record spans that many more lines). */
function lineBreaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) breaks++;
  return breaks;
}

export async function runAddressKey(input: Readable, output: Writable, errors: Writable): Promise<AddressKeySummary> {
  const summary: AddressKeySummary = { rows: 0, keyed: 0, byReason: {} };
  let header: string[] | undefined;
  let columns: ColumnMap = {};
  let singleLine = false;
  // Line numbers are counted here rather than with csv-parse's `info` option, which costs more
  // than the parsing itself; blank lines therefore come through (as one empty field) and are skipped.
  let nextLine = 1;
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true });
  const keyer = new Transform({
    objectMode: true,
    transform(record: string[], _encoding, done) {
      const line = nextLine;
      nextLine += 1 + lineBreaksIn(record);
      if (record.length === 1 && record[0] === '') {
        done();
        return;
      }
      if (!header) {
        header = record;
        try {
          ({ columns, singleLine } = findColumns(header));
        } catch (error) {
          done(error as Error);
          return;
        }
        done(null, [...header, 'delivery_point_key', 'address_status']);
        return;
      }
      summary.rows++;
      let result: KeyResult | undefined;
      if (record.length !== header.length) {
        errors.write(`line ${line}: expected ${header.length} fields as in the header, found ${record.length}; written with status ${MALFORMED_ROW}\n`);
        summary.byReason[MALFORMED_ROW] = (summary.byReason[MALFORMED_ROW] ?? 0) + 1;
        done(null, [...record, '', MALFORMED_ROW]);
        return;
      }
      const field = (name: Field): string | undefined => (columns[name] === undefined ? undefined : record[columns[name]!]);
      result = singleLine
        ? addressLineKey(field('address1') ?? '')
        : deliveryPointKey({ address1: field('address1'), address2: field('address2'), city: field('city'), state: field('state'), zip: field('zip'), zip4: field('zip4') });
      if (result.ok) summary.keyed++;
      else summary.byReason[result.reason] = (summary.byReason[result.reason] ?? 0) + 1;
      done(null, [...record, result.ok ? result.key : '', result.ok ? 'OK' : result.reason]);
    },
  });
  try {
    await pipeline(input, parser, keyer, stringify(), output);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new AddressKeyInputError(`line ${nextLine}: a quoted field is never closed, so the rest of the input cannot be read as rows; every row before line ${nextLine} was written`);
    }
    if (code?.startsWith('CSV_')) throw new AddressKeyInputError(`line ${nextLine}: ${(error as Error).message}`);
    throw error;
  }
  if (!header) throw new AddressKeyInputError('line 1: the input is empty; expected a CSV header');
  return summary;
}

export function registerAddressKeyCommand(program: Command): void {
  program
    .command('address-key')
    .description('read a CSV of addresses on stdin (header address1,address2,city,state,zip or one address column) and write it to stdout with delivery_point_key and address_status appended')
    .action(async () => {
      try {
        const summary = await runAddressKey(stdinWithProgress('keying addresses'), process.stdout, process.stderr);
        const reasons = Object.entries(summary.byReason).map(([reason, count]) => `${reason} ${count}`).join(', ');
        process.stderr.write(`address-key: ${summary.rows} rows, ${summary.keyed} keyed${reasons ? `, without a key: ${reasons}` : ''}\n`);
      } catch (error) {
        if (!(error instanceof AddressKeyInputError)) throw error;
        process.stderr.write(`mailpref address-key: ${error.message}\n`);
        process.exitCode = 1;
      }
    });
}
