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
import { checkSoleColumn, ListInputError, readCsvRecords } from '../lists/cleanse';
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

function findColumns(header: readonly string[]): { columns: ColumnMap; singleLine: boolean } {
  const names = header.map((name) => name.toLowerCase().replace(/[^a-z0-9]/g, ''));
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

/** A CSV line of the output: each field quoted only when it must be. */
function csvLine(values: readonly string[]): string {
  return values.map((value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',') + '\n';
}

export async function runAddressKey(input: Readable, output: Writable, errors: Writable): Promise<AddressKeySummary> {
  const summary: AddressKeySummary = { rows: 0, keyed: 0, byReason: {} };
  let header: string[] | undefined;
  let columns: ColumnMap = {};
  let singleLine = false;
  const write = async (values: readonly string[]) => {
    if (!output.write(csvLine(values))) await once(output, 'drain');
  };
  try {
    // The imports' one record reader (the cleanse's): one record per record whatever its quotes.
    for await (const record of readCsvRecords(input)) {
      if (!header) {
        if (record.malformed !== undefined) throw new AddressKeyInputError(`line ${record.line}: the header row cannot be read (${record.malformed})`);
        header = record.values;
        ({ columns, singleLine } = findColumns(header));
        await write([...header, 'delivery_point_key', 'address_status']);
        continue;
      }
      summary.rows++;
      if (record.malformed !== undefined) {
        errors.write(`line ${record.line}: ${record.malformed}; written with status ${MALFORMED_ROW}\n`);
        summary.byReason[MALFORMED_ROW] = (summary.byReason[MALFORMED_ROW] ?? 0) + 1;
        await write([...record.values, '', MALFORMED_ROW]);
        continue;
      }
      const field = (name: Field): string | undefined => (columns[name] === undefined ? undefined : record.values[columns[name]!]);
      const result: KeyResult = singleLine
        ? addressLineKey(field('address1') ?? '')
        : deliveryPointKey({ address1: field('address1'), address2: field('address2'), city: field('city'), state: field('state'), zip: field('zip'), zip4: field('zip4') });
      if (result.ok) summary.keyed++;
      else summary.byReason[result.reason] = (summary.byReason[result.reason] ?? 0) + 1;
      await write([...record.values, result.ok ? result.key : '', result.ok ? 'OK' : result.reason]);
    }
  } catch (error) {
    if (error instanceof ListInputError) throw new AddressKeyInputError(error.message);
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
