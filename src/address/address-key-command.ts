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
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { checkSoleColumn } from '../lists/cleanse/address-columns';
import { ByteBuilder } from '../lists/cleanse/byte-builder';
import type { RawRecord } from '../lists/cleanse/csv-record-splitter';
import { csvSlices, CsvRecordReader, recordField, simplifyHeader } from '../lists/cleanse/csv-records';
import { ListInputError } from '../lists/cleanse/list-dialect';
import { stdinWithProgress, type StdinIo } from '../lib/progress-bar';
import { InputError } from '../lib/errors';
import { AddressKeyRows, csvLine, MALFORMED_ROW, type AddressKeySummary, type ColumnMap } from './address-key-rows';

export { MALFORMED_ROW, type AddressKeySummary } from './address-key-rows';

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

/**
 * Reads the records with the imports' record reader (the cleanse's splitter) and writes each row
 * as the bytes it came in with, the key and status appended, gathered in large blocks: only the
 * address fields are ever decoded, and each slice's rows are keyed in a loop of their own
 * (address-key-rows.ts). The output is what writing every field's text with csvField gives (the
 * address-key tests compare the two on odd input), at several times the speed.
 */
export async function runAddressKey(input: AsyncIterable<Buffer | string>, output: Writable, errors: Writable): Promise<AddressKeySummary> {
  const summary: AddressKeySummary = { rows: 0, keyed: 0, byReason: {} };
  const out = new ByteBuilder();
  let rows: AddressKeyRows | undefined;
  let messages = '';
  const onRecord = (record: RawRecord, malformed: string | undefined, plain: boolean): void => {
    if (!rows) {
      if (malformed !== undefined) throw new AddressKeyInputError(`line ${record.line}: the header row cannot be read (${malformed})`);
      const header: string[] = [];
      for (let i = 0; i < record.fieldCount; i++) header.push(recordField(record, i));
      const { columns, singleLine } = findColumns(header);
      rows = new AddressKeyRows(columns, singleLine, new ByteBuilder(64 * 1024));
      out.appendText(csvLine([...header, 'delivery_point_key', 'address_status']));
    } else if (malformed !== undefined) {
      messages += `line ${record.line}: ${malformed}; written with status ${MALFORMED_ROW}\n`;
      rows.addMalformed(record);
    } else {
      rows.add(record, plain);
    }
  };
  // What a slice's records give is written once the slice is read (a slice that fails part-way,
  // on a record over the size limit, writes nothing of its own).
  const flush = async (): Promise<void> => {
    rows?.write(out, summary);
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
  if (!rows) throw new AddressKeyInputError('line 1: the input is empty; expected a CSV header');
  return summary;
}

/**
 * The command on the streams it is given (the process's own in use): rows to stdout; each
 * malformed row's warning and the closing count to stderr, the warnings above the progress bar
 * when there is one (stdin a file, stderr a terminal), never over it. Returns the exit status.
 */
export async function addressKeyCommand(io: StdinIo & { stdout: Writable }): Promise<number> {
  const progress = stdinWithProgress('keying addresses', io);
  const warnings = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      progress.log(chunk.toString());
      callback();
    },
  });
  try {
    const summary = await runAddressKey(progress.input, io.stdout, warnings);
    const reasons = Object.entries(summary.byReason).map(([reason, count]) => `${reason} ${count}`).join(', ');
    io.stderr.write(`address-key: ${summary.rows} rows, ${summary.keyed} keyed${reasons ? `, without a key: ${reasons}` : ''}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AddressKeyInputError)) throw error;
    io.stderr.write(`mailpref address-key: ${error.message}\n`);
    return 1;
  }
}

/** What `mailpref address-key` does: stdin to stdout, the summary on stderr, exit status 1 on input it cannot read. */
export async function addressKeyAction(): Promise<void> {
  process.exitCode = await addressKeyCommand({ fd: 0, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}

export function registerAddressKeyCommand(program: Command): void {
  program
    .command('address-key')
    .description('read a CSV of addresses on stdin (header address1,address2,city,state,zip or one address column) and write it to stdout with delivery_point_key and address_status appended')
    .action(addressKeyAction);
}
