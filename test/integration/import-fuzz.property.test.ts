/**
 * Every importer reads a file as the list cleanse does, and accounts for every row: mutated files
 * (stray quotes, cut and doubled lines, lone CRs, extra delimiters) go through returned cards,
 * postcards, moves, address-key and the cleanse, and each must say `in = out + rejected` with the
 * same rows in as every other, every row in exactly one output under its own line number.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { runAddressKey } from '../../src/address/address-key-command';
import { projectPath } from '../../src/lib/project-path';
import { readCsvRecords } from '../../src/lists/cleanse';
import { cleanseBytes } from '../support/memory-list';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { memorySink } from '../support/memory-sink';

jest.setTimeout(120_000);


const lineNumbers = (csv: string, column: string) => (parse(csv, { columns: true, relax_column_count: true }) as Record<string, string>[]).map((row) => Number(row[column]));

/** The data records of a file as the shared reader counts them: what every importer must account for. */
async function recordLines(bytes: Buffer): Promise<number[]> {
  const lines: number[] = [];
  let header = true;
  for await (const record of readCsvRecords(Readable.from([bytes]))) {
    if (header) header = false;
    else lines.push(record.line);
  }
  return lines;
}

// A mutation applied after the header line: the header of each importer stays readable.
const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('quote', 'quotes', 'delete', 'lf', 'cr', 'comma', 'double-line', 'quoted-break'),
});

function mutate(text: string, mutations: { at: number; kind: string }[]): Buffer {
  const headerEnd = text.indexOf('\n') + 1;
  let body = text.slice(headerEnd);
  for (const { at, kind } of mutations) {
    const i = body.length === 0 ? 0 : at % body.length;
    const insert = (piece: string) => (body = body.slice(0, i) + piece + body.slice(i));
    if (kind === 'quote') insert('"');
    else if (kind === 'quotes') insert('"""');
    else if (kind === 'delete') body = body.slice(0, i) + body.slice(i + 1);
    else if (kind === 'lf') insert('\n');
    else if (kind === 'cr') insert('\r');
    else if (kind === 'comma') insert(',');
    else if (kind === 'quoted-break') insert('"a\nb",');
    else {
      const start = body.lastIndexOf('\n', i - 1) + 1;
      const end = body.indexOf('\n', i);
      const line = body.slice(start, end < 0 ? body.length : end + 1);
      body = body.slice(0, start) + line + body.slice(start);
    }
  }
  return Buffer.from(text.slice(0, headerEnd) + body);
}

const ROWS = 6;
const cardsFile = 'code,catalogs\n' + Array.from({ length: ROWS }, (_, i) => `ABCDE-FGH${i + 2}${i + 2},ticked`).join('\n') + '\n';
const postcardsFile = 'address1,address2,city,state,zip\n' + Array.from({ length: ROWS }, (_, i) => `${100 + i} Main St,Apt ${i},Austin,TX,78701`).join('\n') + '\n';
const movesFile =
  'old_address1,old_zip,new_address1,new_zip,move_date,move_type,choices_follow\n' +
  Array.from({ length: ROWS }, (_, i) => `${10 + i} Elm St,02139,${20 + i} Oak Ave,10001,2026-10-0${1 + (i % 9)},family,no`).join('\n') +
  '\n';

describe('every importer accounts for every row of a mutated file, as the cleanse reads it', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await createTestRoot();
  });
  afterAll(() => root?.cleanup());

  it('cards, postcards, moves, address-key and the cleanse: in = out + rejected, each row once', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        run++;
        // address-key and the cleanse, on the postcard file (it has address columns)
        const addresses = mutate(postcardsFile, mutations);
        const addressLines = await recordLines(addresses);
        const out = memorySink();
        const keyed = await runAddressKey(Readable.from([addresses]), out, memorySink());
        expect(keyed.rows).toBe(addressLines.length);
        expect(parse(out.text(), { relax_column_count: true })).toHaveLength(addressLines.length + 1);
        const cleansed = await cleanseBytes(addresses);
        expect(cleansed.counts.rowsIn).toBe(addressLines.length);

        // postcards: each row in the print file or the reject file, under its own line
        const print = memorySink();
        const rejects = memorySink();
        const issued = await root.services.postcards.issueFromCsv(Readable.from([addresses]), { print, rejects }, { source: `fuzz-${run}` });
        expect(issued.rowsIn).toBe(addressLines.length);
        expect(issued.printed + issued.rejected).toBe(issued.rowsIn);
        expect([...lineNumbers(print.text(), 'line'), ...lineNumbers(rejects.text(), 'line')].sort((a, b) => a - b)).toEqual(addressLines);

        // returned cards: every row applied or rejected, once (no crash on a doubled skip)
        const cards = Buffer.concat([mutate(cardsFile, mutations), Buffer.from(`\n${run}\n`)]); // a distinct file each run
        const cardLines = await recordLines(cards);
        const report = memorySink();
        const imported = await root.services.cardImport.importFile(() => Readable.from([cards]), `fuzz-${run}.csv`, report);
        expect(imported.rowsIn).toBe(cardLines.length);
        expect(imported.applied + imported.rejected).toBe(imported.rowsIn);
        expect(lineNumbers(report.text(), 'line').length).toBe(imported.rejected);

        // moves
        const moves = mutate(movesFile, mutations);
        const moveLines = await recordLines(moves);
        const created = await root.services.moves.upload(Readable.from([moves]), `fuzz-${run}.csv`, { label: 'fuzz' });
        const applied = await root.services.moves.applyImport(created.id);
        expect(applied.rowsIn).toBe(moveLines.length);
        expect(applied.applied + applied.already + applied.rejected).toBe(applied.rowsIn);
      }),
      { numRuns: 40 },
    );
  });

  it('the sample mailing list (stray quotes and all) has the 3,000 rows for every importer that the cleanse counts', async () => {
    const sample = fs.readFileSync(projectPath('sample-data', 'mailing-list.csv'));
    const lines = await recordLines(sample);
    expect(lines).toHaveLength(3000); // postcards issue read 2,771 of them with csv-parse
    expect((await cleanseBytes(sample, [], {}, 65536)).counts.rowsIn).toBe(3000);
    expect(new Set(lines).size).toBe(3000);
    expect(Math.max(...lines)).toBeLessThanOrEqual(sample.toString('utf8').split('\n').length);
  });

  it("the issue's card file: no crash, three rows accounted for, and a re-run after a crash finishes the same import", async () => {
    const file = Buffer.from('code,catalogs\nAAAAA-AAAAA,ticked\n"BBBBB-BBBBB,ticked\nCCCCC-CCCCC,ticked\n');
    const summary = await root.services.cardImport.importFile(() => Readable.from([file]), 'stray-quote.csv', memorySink());
    expect(summary).toMatchObject({ rowsIn: 3, applied: 0, rejected: 3 });
    expect(summary.rejectedByReason).toEqual({ UNKNOWN_CODE: 2, MALFORMED_ROW: 1 });

    // A crash after the first row: the import stays "running" with one row recorded; the re-run
    // skips it and accounts for all four rows, once each.
    const again = Buffer.from('code,catalogs\nAAAAA-AAAAA,ticked\n"BBBBB-BBBBB,ticked\nCCCCC-CCCCC,ticked\nDDDDD-DDDDD,ticked\n');
    let reads = 0;
    const crashing = () => {
      reads++;
      if (reads !== 2) return Readable.from([again]);
      // the second read (the rows) dies after the first row's line
      return Readable.from(
        (async function* () {
          yield again.subarray(0, again.indexOf('"'));
          await new Promise((resolve) => setTimeout(resolve, 50));
          throw new Error('worker killed');
        })(),
      );
    };
    await expect(root.services.cardImport.importFile(crashing, 'crash.csv', memorySink())).rejects.toThrow('worker killed');
    const rerun = await root.services.cardImport.importFile(() => Readable.from([again]), 'crash.csv', memorySink());
    expect(rerun).toMatchObject({ rowsIn: 4, applied: 0, rejected: 4, alreadyImported: false });
  });
});
