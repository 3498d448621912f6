/**
 * `mailpref address-key` copies each row's fields as the bytes they came in (issue 24, item 5:
 * the command at the library's pace). Its output must be what it wrote before, when every field
 * was decoded and written again as text: this runs both on the sample data, on quoted and odd
 * rows, and on generated files cut into random pieces, and compares stdout byte for byte, stderr,
 * the summary and any error.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { AddressKeyInputError, findColumns, MALFORMED_ROW, runAddressKey, type AddressKeySummary } from '../../../src/address/address-key-command';
import { addressLineKey, deliveryPointKey, type KeyResult } from '../../../src/address/delivery-point-key';
import { ListInputError, readCsvRecords } from '../../../src/lists/cleanse';
import { projectPath } from '../../../src/lib/project-path';

/** The command as it was before (every field decoded, each row written again as text), kept here as the reference. */
async function previousAddressKey(input: AsyncIterable<Buffer | string>, output: Writable, errors: Writable): Promise<AddressKeySummary> {
  const csvLine = (values: readonly string[]): string => values.map((value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',') + '\n';
  const summary: AddressKeySummary = { rows: 0, keyed: 0, byReason: {} };
  let header: string[] | undefined;
  let columns: ReturnType<typeof findColumns>['columns'] = {};
  let singleLine = false;
  const write = async (values: readonly string[]) => {
    if (!output.write(csvLine(values))) await once(output, 'drain');
  };
  try {
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
      const field = (name: keyof typeof columns): string | undefined => (columns[name] === undefined ? undefined : record.values[columns[name]!]);
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

function sink(): Writable & { bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(stream, { bytes: () => Buffer.concat(chunks) });
}

type Run = typeof runAddressKey;

async function outcome(run: Run, pieces: Buffer[]) {
  const output = sink();
  const errors = sink();
  let result: AddressKeySummary | string;
  try {
    result = await run(Readable.from(pieces), output, errors);
  } catch (error) {
    if (!(error instanceof AddressKeyInputError)) throw error;
    result = `error: ${error.message}`;
  }
  return { stdout: output.bytes().toString('latin1'), stderr: errors.bytes().toString('utf8'), result };
}

/** The input cut at the given offsets (pieces as a pipe or a file read would give them). */
function cut(bytes: Buffer, at: number[] = []): Buffer[] {
  const offsets = [...new Set(at.filter((offset) => offset > 0 && offset < bytes.length))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const offset of [...offsets, bytes.length]) {
    pieces.push(bytes.subarray(from, offset));
    from = offset;
  }
  return pieces;
}

async function expectSameAsBefore(bytes: Buffer, at?: number[]): Promise<void> {
  const before = await outcome(previousAddressKey, cut(bytes, at));
  const now = await outcome(runAddressKey, cut(bytes, at));
  expect(now).toEqual(before);
}

const HEADER = 'id,address1,address2,city,state,zip\n';

describe('address-key output is byte for byte what the text path wrote', () => {
  it('on the sample data', async () => {
    for (const file of ['address-variants.csv', 'mailing-list.csv', 'postcard-addresses.csv']) {
      const bytes = fs.readFileSync(projectPath('sample-data', file));
      await expectSameAsBefore(bytes);
      await expectSameAsBefore(bytes, [1, 7, 100, 101, 2048, bytes.length - 3]);
    }
  });

  it.each([
    ['quoted fields with commas, doubled quotes and line breaks', HEADER + '1,"12 Elm St, Apt 4",,"Boston, City",MA,02134\n2,"7 ""Elm"" St","Unit\r\nB",Boston,MA,02134\n3,"8 Elm\nSt",,"Bo\rston",MA,02134\n4,"9 Elm St",,"",MA,"02134"\n'],
    ['stray quotes in unquoted fields', HEADER + '1,12 E"lm St,,Bos"ton,MA,02134\n2,12 Elm St",x",,Boston,MA,02134\n'],
    ['text after a closing quote', HEADER + '1,"12 Elm" St,,Boston,MA,02134\n2,"13 Elm St"x,,Boston,MA,02134\n'],
    ['a quote left open on one line, and one at the end of the file', HEADER + '1,"12 Elm St,,Boston,MA,02134\n2,13 Elm St,,Boston,MA,02134\n3,"14 Elm St,,Boston,MA,02134'],
    ['CRLF, lone CR and mixed line endings', HEADER.replace('\n', '\r\n') + '1,12 Elm St,,Boston,MA,02134\r\n2,13 Elm St,,Boston,MA,02134\r3,14 Elm St,,Boston,MA,02134\n4,15 Elm St\r,,Boston,MA,02134\n'],
    ['blank, space-only and quoted-empty lines, a file without a last line break', '\n\n' + HEADER + '\n1,12 Elm St,,Boston,MA,02134\n \n""\n\r\n2,13 Elm St,,Boston,MA,02134'],
    ['too few and too many fields', HEADER + '1,12 Elm St\n2,13 Elm St,,Boston,MA,02134,extra,"more, and more"\n3,"14\nElm St",,Boston,MA\n,,,,,\n'],
    ['non-ASCII text, bytes that are not UTF-8, and U+FFFD itself', HEADER + '1,12 Peña St,,Bogotá,MA,02134\n2,13 Elm St \u{1F3E0},,Boston,MA,02134\n3,14 Elm St,,Bost\uFFFDn,MA,02134\n'],
    ['a byte-order mark', '\uFEFF' + HEADER + '1,12 Elm St,,Boston,MA,02134\n'],
    ['a single address column', 'address\n"123 N Main St Apt 4B, Boston, MA 02134"\n123 Broadway New York NY 10001\n"12 ""A"" St, Boston, MA 02134"\n'],
    ['a header with quoted names and a unit column', '"Street Address","Apt",City,"State",ZIP,Zip4\n12 Elm St,4B,Boston,MA,02134,1201\n'],
    ['keys that need quotes or hold non-ASCII letters (a city in the key: no ZIP)', HEADER + '1,12 Elm St,,"Boston, City",MA,\n2,13 Elm St,,Bogotá,MA,\n3,14 Elm St,,"Bo""ston",MA,\n4,15 Elm St,,Boston,MA,\n'],
    ['unreadable addresses with their reasons', HEADER + '1,Elm St,,Boston,MA,02134\n2,,,Boston,MA,02134\n3,12 Elm St,,,,\n4,PO Box,,Boston,MA,02134\n5,123 Main St Louis,,St Louis,MO,63101\n'],
    ['extra and reordered columns', 'zip,name,city,address1,phone,state,address2\n02134,"Ann, B",Boston,12 Elm St,555,MA,Apt 4\n'],
  ])('on %s', async (_name, text) => {
    const bytes = Buffer.from(text);
    await expectSameAsBefore(bytes);
    for (let at = 1; at < bytes.length; at += 7) await expectSameAsBefore(bytes, [at, at + 1, at + 3]);
  });

  it('on a Windows-1252 file (its accented letters are not UTF-8)', async () => {
    await expectSameAsBefore(Buffer.from(HEADER.replace('\n', '\r\n') + '1,12 Peña St,,Bogotá,MA,02134\r\n2,13 Elm St,,Boston,MA,02134\r\n', 'latin1'));
  });

  it('on bytes that are not UTF-8 in an address and in another field', async () => {
    const bytes = Buffer.concat([Buffer.from(HEADER + '1,12 Elm St,,Boston,MA,02134\n2,13 El'), Buffer.from([0xff, 0xc3]), Buffer.from('m St,,Boston,MA,02134\n3'), Buffer.from([0xe9]), Buffer.from(',14 Elm St,,Boston,MA,02134\n')]);
    await expectSameAsBefore(bytes);
  });

  it('on input it refuses: empty, no address column, a header it cannot read, a record over 1 MiB', async () => {
    await expectSameAsBefore(Buffer.from(''));
    await expectSameAsBefore(Buffer.from('\n\n'));
    await expectSameAsBefore(Buffer.from('name,phone\nAnn,555\n'));
    await expectSameAsBefore(Buffer.from('"address1,zip\n1 Elm St,02134\n'));
    await expectSameAsBefore(Buffer.from(HEADER + '1,12 Elm St,,Boston,MA,02134\n2,"' + 'x'.repeat(1.1 * 1024 * 1024) + '",,Boston,MA,02134\n3,14 Elm St,,Boston,MA,02134\n'));
  });

  it('on generated files of any characters CSV gives meaning to, cut anywhere', async () => {
    const piece = fc.constantFrom('12', ' Elm', ' St', 'Boston', 'MA', '02134', ',', ',', '"', '""', '\n', '\r\n', '\r', 'é', ' ', '#4');
    const file = fc.array(fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(400), { maxLength: 4 }), async (lines, at) => {
        const bytes = Buffer.from('address1,city,state,zip\n' + lines.join('\n'));
        const before = await outcome(previousAddressKey, cut(bytes, at));
        const now = await outcome(runAddressKey, cut(bytes, at));
        expect(now).toEqual(before);
      }),
      { numRuns: 400 },
    );
  });
});
