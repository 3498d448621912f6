import fs from 'node:fs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { projectPath } from '../../../../src/lib/project-path';
import { ListInputError } from '../../../../src/lists/cleanse/list-dialect';
import { cleanseBytes } from '../../../support/memory-list';

const OPTED = { address1: '10 Oak St', city: 'Austin', state: 'TX', zip: '78701' };

describe('suppress mode keeps rows byte for byte', () => {
  it('CRLF, quoting and spacing are untouched; the opted-out row is gone', async () => {
    const lines = ['Name,Address,City,State,Zip', '"Ann ""Nan"" Lee",  12 Main St ,Austin,TX,78701', 'Bob,10 Oak Street,Austin,TX,78701', '"Cy, Jr.",14 Elm Rd,"Austin",TX,78701-1234'];
    const input = Buffer.from(lines.join('\r\n') + '\r\n');
    const { cleansed, counts } = await cleanseBytes(input, [OPTED]);
    expect(cleansed.toString()).toBe([lines[0], lines[1], lines[3]].join('\r\n') + '\r\n');
    expect(counts).toMatchObject({ rowsIn: 3, kept: 2, discarded: { OPTED_OUT: 1 } });
  });

  it('quoted fields with embedded newlines stay whole, and later line numbers count them', async () => {
    const text = 'name,address1,zip\n"two\nlines",1 A St,78701\n"x",10 Oak St,78701\nlast,3 C St,78701';
    const { cleansed, discards } = await cleanseBytes(Buffer.from(text), [OPTED], {}, 3);
    expect(cleansed.toString()).toBe('name,address1,zip\n"two\nlines",1 A St,78701\nlast,3 C St,78701');
    const report = parse(discards, { columns: true }) as Record<string, string>[];
    expect(report).toEqual([expect.objectContaining({ line_number: '4', reason: 'OPTED_OUT', choice_date: '2026-03-04', address1: '10 Oak St' })]);
  });

  it('a UTF-8 byte-order mark is kept at the start of the cleansed file', async () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('address,zip\n10 Oak St,78701\n5 Río Way,78701\n')]);
    const { cleansed } = await cleanseBytes(input, [OPTED]);
    expect(cleansed).toEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('address,zip\n5 Río Way,78701\n')]));
  });

  it('Windows-1252 stays Windows-1252, and its accented addresses are read correctly', async () => {
    const text = 'Name;Address;Zip\r\nRenée;7 Peña Blvd;78701\r\nJosé;10 Oak St;78701\r\n';
    const input = iconv.encode(text, 'win1252');
    expect(input.includes(0xe9)).toBe(true); // é as one byte: not UTF-8
    const { cleansed, counts } = await cleanseBytes(input, [OPTED, { address1: '7 Pena Boulevard', zip: '78701' }]);
    expect(counts).toMatchObject({ rowsIn: 2, kept: 0, discarded: { OPTED_OUT: 2 } });
    expect(cleansed).toEqual(iconv.encode('Name;Address;Zip\r\n', 'win1252'));
    const { cleansed: kept } = await cleanseBytes(input, []);
    expect(kept).toEqual(input);
  });

  it('TSV with a pipe inside a field', async () => {
    const input = Buffer.from('street\tzip\tnote\n10 Oak St\t78701\ta|b\n9 Elm St\t78701\tc,d\n');
    const { cleansed } = await cleanseBytes(input, [OPTED]);
    expect(cleansed.toString()).toBe('street\tzip\tnote\n9 Elm St\t78701\tc,d\n');
  });

  it('UTF-16 LE with a byte-order mark', async () => {
    const text = 'address,zip\r\n10 Oak St,78701\r\n11 Oak St,78701\r\n';
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const { cleansed } = await cleanseBytes(input, [OPTED], {}, 5);
    expect(cleansed).toEqual(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('address,zip\r\n11 Oak St,78701\r\n', 'utf16le')]));
  });

  it('UTF-16 BE with a byte-order mark', async () => {
    const be = (text: string) => Buffer.from(text, 'utf16le').swap16();
    const input = Buffer.concat([Buffer.from([0xfe, 0xff]), be('address\tzip\n10 Oak St\t78701\n11 Oak St\t78701\n')]);
    const { cleansed } = await cleanseBytes(input, [OPTED], {}, 3);
    expect(cleansed).toEqual(Buffer.concat([Buffer.from([0xfe, 0xff]), be('address\tzip\n11 Oak St\t78701\n')]));
  });

  it('old-Mac CR line endings and a last row without a line break', async () => {
    const input = Buffer.from('address,zip\r10 Oak St,78701\r11 Oak St,78701');
    const { cleansed } = await cleanseBytes(input, [OPTED]);
    expect(cleansed.toString()).toBe('address,zip\r11 Oak St,78701');
  });

  it('flag mode keeps every row and appends status and reason in the same dialect', async () => {
    const input = Buffer.from('address;zip\r\n10 Oak St;78701\r\n11 Oak St;78701\r\n');
    const { cleansed } = await cleanseBytes(input, [OPTED], { mode: 'flag' });
    expect(cleansed.toString()).toBe(
      'address;zip;mailpref_status;mailpref_reason\r\n10 Oak St;78701;discarded;OPTED_OUT: the household refused this category\r\n11 Oak St;78701;kept;\r\n',
    );
  });
});

describe('every row is accounted for', () => {
  it('malformed rows are discarded with their raw text and the reason; the rest is processed', async () => {
    const lines = ['name,address1,zip', 'a,1 A St,78701', 'b,2 B St,78701,extra', 'c,3 C St', 'd,"4 D St,78701', 'e,5 E St,78701', 'f,"6 ""F"" St"x,78701', 'g,,78701', 'h,8 H St,78701'];
    const { cleansed, discards, counts } = await cleanseBytes(Buffer.from(lines.join('\n') + '\n'));
    expect(cleansed.toString()).toBe([lines[0], lines[1], lines[5], lines[8]].join('\n') + '\n');
    const report = parse(discards, { columns: true, relax_column_count: true }) as Record<string, string>[];
    expect(report.map((row) => [row.line_number, row.reason])).toEqual([
      ['3', 'MALFORMED_ROW'],
      ['4', 'MALFORMED_ROW'],
      ['5', 'MALFORMED_ROW'],
      ['7', 'MALFORMED_ROW'],
      ['8', 'ADDRESS_UNREADABLE'],
    ]);
    expect(report[0]!.reason_detail).toBe('expected 3 fields (as in the header), found 4');
    expect(report[0]!.raw_row).toBe('b,2 B St,78701,extra');
    expect(report[1]!.reason_detail).toBe('expected 3 fields (as in the header), found 2');
    expect(report[2]!.reason_detail).toMatch(/quote opened on line 5 is not closed/);
    expect(report[2]!.raw_row).toBe('d,"4 D St,78701');
    expect(report[3]!.reason_detail).toMatch(/after the closing quote/);
    expect(report[4]!.reason_detail).toMatch(/^NO_STREET/);
    expect(counts.rowsIn).toBe(8);
    expect(counts.kept + Object.values(counts.discarded).reduce((a, b) => a + b)).toBe(8);
  });

  it('de-duplication discards later rows at the same delivery point', async () => {
    const input = Buffer.from('address,zip\n1 Main Street,78701\n1 MAIN ST.,78701\n2 Main St,78701\n');
    const { cleansed, discards } = await cleanseBytes(input, [], { dedupe: true });
    expect(cleansed.toString()).toBe('address,zip\n1 Main Street,78701\n2 Main St,78701\n');
    expect(discards).toMatch(/^3,DUPLICATE,/m);
  });

  it('flag mode keeps a malformed row too, flagged with the reason, and reports it with its raw text', async () => {
    const input = Buffer.from('address,zip\n10 Oak St,78701,extra\n11 Oak St,78701\n');
    const { cleansed, discards, counts } = await cleanseBytes(input, [], { mode: 'flag' });
    expect(cleansed.toString()).toBe(
      'address,zip,mailpref_status,mailpref_reason\n10 Oak St,78701,extra,discarded,"MALFORMED_ROW: expected 2 fields (as in the header), found 3"\n11 Oak St,78701,kept,\n',
    );
    expect(discards).toMatch(/^2,MALFORMED_ROW,"expected 2 fields \(as in the header\), found 3",,"10 Oak St,78701,extra"$/m);
    expect(counts).toMatchObject({ rowsIn: 2, kept: 1, discarded: { MALFORMED_ROW: 1 } });
  });

  it('unreadable addresses can be kept, flagged, instead of discarded', async () => {
    const input = Buffer.from('address,zip\nMain St,78701\n');
    const { cleansed, counts } = await cleanseBytes(input, [], { keepUnreadable: true, mode: 'flag' });
    expect(cleansed.toString()).toBe('address,zip,mailpref_status,mailpref_reason\nMain St,78701,kept,ADDRESS_UNREADABLE: NO_PRIMARY_NUMBER\n');
    expect(counts).toMatchObject({ rowsIn: 1, kept: 1, keptUnreadable: 1 });
  });
});

describe('bad input gets a clear error', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['an empty file', Buffer.alloc(0), /empty \(0 bytes\)/],
    ['only blank lines', Buffer.from('\r\n\r\n'), /no text|no header/],
    ['a header only', Buffer.from('address,zip\r\n'), /header row but no data rows/],
    ['no address column', Buffer.from('name,email\nAnn,a@example.com\n'), /No street address column found\. The header row has: "name", "email"/],
    ['a binary file', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]), /not a text list: byte 6 is a NUL byte/],
    ['an Excel file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), /Excel \(\.xlsx\) file, not a CSV/],
    ['a binary file with NULs in odd and even places', Buffer.from([0x41, 0x00, 0x00, 0x42, 0x0a, 0x00]), /not a text list: byte 1 is a NUL byte/],
  ];
  it.each(cases)('%s', async (_name, input, message) => {
    await expect(cleanseBytes(input)).rejects.toThrow(message);
  });

  it('a mapping naming a missing column lists the headers seen', async () => {
    await expect(cleanseBytes(Buffer.from('Street Line,Postcode\n1 A St,78701\n'), [], { mapping: { address1: 'Street' } })).rejects.toThrow(
      /mapping names "Street" for address1, but the list has no such column\. The header row has: "Street Line", "Postcode"/,
    );
    const { counts } = await cleanseBytes(Buffer.from('Street Line,Postcode\n1 A St,78701\n'), [], { mapping: { address1: 'Street Line', zip: 'Postcode' } });
    expect(counts.kept).toBe(1);
  });

  it('a stray quote that never closes costs one row, not the rest of the file', async () => {
    const rows = ['address,zip', '"1 A St,78701', ...Array.from({ length: 50 }, (_, i) => `${i + 2} B St,78701`)];
    const { counts } = await cleanseBytes(Buffer.from(rows.join('\n')));
    expect(counts).toMatchObject({ rowsIn: 51, kept: 50, discarded: { MALFORMED_ROW: 1 } });
  });

  it('a line that is not a list at all (over 1 MiB without a line break) is refused', async () => {
    const input = Buffer.concat([Buffer.from('address,zip\n'), Buffer.alloc(2 << 20, 0x41)]);
    const refused = cleanseBytes(input, [], {}, 65536);
    await expect(refused).rejects.toThrow(/line 2: a record longer than 1048576 bytes/);
    // Bad input (the job fails without retries), not a fault to retry.
    await expect(refused).rejects.toBeInstanceOf(ListInputError);
  });

  it('rows_in, kept and discarded are unchanged when the list is a mix of everything and read in any piece size', async () => {
    const sample = fs.readFileSync(projectPath('sample-data', 'mailing-list.csv'));
    const whole = await cleanseBytes(sample, [OPTED], {}, 1 << 20);
    for (const piece of [7, 4096]) {
      const again = await cleanseBytes(sample, [OPTED], {}, piece);
      expect(again.cleansed.equals(whole.cleansed)).toBe(true);
      expect(again.discards).toBe(whole.discards);
    }
    expect(whole.counts.rowsIn).toBe(3000);
    expect(whole.counts.discarded.MALFORMED_ROW).toBeGreaterThan(0);
  });
});
