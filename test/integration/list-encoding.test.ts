import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { startWorkers } from '../../src/start/worker';
import { createApp } from '../../src/root';
import { cleanseLocalFile } from '../../src/lists/jobs/local-cleanse';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createMailerKey, download, refuse, upload, waitForList } from '../support/lists-fixtures';

jest.setTimeout(120_000);

const HEADER = 'name,address1,address2,city,state,zip';
const fillers = (n: number) => Array.from({ length: n }, (_, i) => `F${i},${1000 + i} Filler St,,Dallas,TX,75201`);
// Households that refused catalogs, each with an accent in the street line.
const ACCENTED = [
  ['J Peña', '12 Calle Peña', 'San Juan', 'PR', '00901'],
  ['A Muñoz', '40 Muñoz Rivera Ave', 'San Juan', 'PR', '00918'],
  ['R Ibáñez', '7 Ibáñez St', 'Austin', 'TX', '78701'],
  ['C Gómez', '19 Gómez Rd', 'Austin', 'TX', '78702'],
  ['L Núñez', '3 Núñez Ct', 'Austin', 'TX', '78703'],
];
const accentedRows = ACCENTED.map(([name, street, city, state, zip]) => `${name},${street},,${city},${state},${zip}`);

describe('a list\'s encoding is decided on the whole file, and no row gets a key from bytes it cannot read', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;
  let dir: string;

  beforeAll(async () => {
    // Small chunks: the API's lists below are split and cleansed by several chunk jobs.
    root = await createTestRoot({ LIST_CHUNK_BYTES: String(32 * 1024) });
    app = createApp(root);
    startWorkers(root);
    key = await createMailerKey(root, 'Encoding Mailer');
    await refuse(root, 'catalogs', ACCENTED.map(([, address1, city, state, zip]) => ({ address1, city, state, zip })));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-encoding-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await root?.cleanup();
  });

  async function viaCli(bytes: Buffer, name: string) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    const out = path.join(dir, `${name}-out`);
    const { summary, files } = await cleanseLocalFile(
      { categories: root.services.categories, refusedKeys: new RefusedKeysStore(root.db), freshnessDays: 30 },
      file,
      { categorySlug: 'catalogs', outDir: out, mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {} },
    );
    return { summary, cleansed: fs.readFileSync(files.cleansed), discards: fs.readFileSync(files.discards, 'utf8') };
  }

  async function viaApi(bytes: Buffer) {
    const res = await upload(app, key, bytes);
    expect(res.status).toBe(202);
    const done = await waitForList(app, key, res.body.id);
    expect(done.status).toBe('completed');
    const summary = (await download(app, key, res.body.id, 'summary')).body;
    return {
      summary: JSON.parse(summary.toString('utf8')),
      cleansed: (await download(app, key, res.body.id, 'cleansed')).body as Buffer,
      discards: ((await download(app, key, res.body.id, 'discards')).body as Buffer).toString('utf8'),
    };
  }

  const both = async (bytes: Buffer, name: string) => [await viaCli(bytes, name), await viaApi(bytes)];

  it('a Windows-1252 list whose first accent comes after 64 KiB (the issue\'s repro): read as Windows-1252, the refusal found', async () => {
    const bytes = iconv.encode([HEADER, ...fillers(2500), 'J Peña,12 Calle Peña,,San Juan,PR,00901'].join('\n') + '\n', 'win1252');
    expect(bytes.indexOf(0xf1)).toBeGreaterThan(64 * 1024);
    for (const { summary, cleansed } of await both(bytes, 'late-accent.csv')) {
      expect(summary.input.encoding).toBe('windows-1252');
      expect(summary.input.encodingDecidedBy).toMatch(/^Windows-1252: not UTF-8 \(2 bytes that are not UTF-8, the first at byte 9\d,\d{3}\), and no UTF-8 character anywhere in the file$/);
      expect(summary.rows.discardedByReason.OPTED_OUT).toBe(1);
      expect(summary.rows.kept).toBe(2500);
      expect(cleansed.includes(Buffer.from('Pe\xf1a', 'latin1'))).toBe(false);
    }
  });

  it('a UTF-8 list with one stray Windows-1252 byte near the top: still UTF-8, every accented refusal found, the stray row unreadable', async () => {
    const stray = Buffer.concat([Buffer.from('S Stray,5 Rue '), Buffer.from([0xe9]), Buffer.from('toile,,Austin,TX,78704')]);
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n`), stray, Buffer.from(`\n${[...fillers(3000), ...accentedRows].join('\n')}\n`)]);
    for (const { summary, discards } of await both(bytes, 'stray-byte.csv')) {
      expect(summary.input.encoding).toBe('utf-8');
      expect(summary.input.encodingDecidedBy).toBe('UTF-8: the file holds 14 UTF-8 characters and 1 byte that is not UTF-8, the first at byte 52');
      expect(summary.rows.discardedByReason.OPTED_OUT).toBe(5);
      expect(summary.rows.discardedByReason.ADDRESS_UNREADABLE).toBe(1);
      const rows = parse(discards, { columns: true }) as Record<string, string>[];
      expect(rows.find((row) => row.line_number === '2')).toMatchObject({ reason: 'ADDRESS_UNREADABLE', reason_detail: expect.stringMatching(/^BAD_ENCODING: the address holds bytes that are not characters of the file's encoding/) });
    }
  });

  it('UTF-16 without a byte-order mark (little- and big-endian): read as UTF-16, refusals found, kept rows byte for byte', async () => {
    const text = [HEADER, ...fillers(400), ...accentedRows].join('\r\n') + '\r\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [bytes, encoding, endian] of [[le, 'utf-16le', 'little'], [be, 'utf-16be', 'big']] as const) {
      for (const { summary, cleansed } of await both(bytes, `${encoding}.csv`)) {
        expect(summary.input.encoding).toBe(encoding);
        expect(summary.input.encodingDecidedBy).toBe(`UTF-16 (${endian}-endian) without a byte-order mark: every ${endian === 'little' ? 'second' : 'first'} byte of a character is NUL`);
        expect(summary.rows.discardedByReason.OPTED_OUT).toBe(5);
        const expected = [HEADER, ...fillers(400)].join('\r\n') + '\r\n';
        expect(cleansed.equals(encoding === 'utf-16le' ? Buffer.from(expected, 'utf16le') : Buffer.from(expected, 'utf16le').swap16())).toBe(true);
      }
    }
  });

  it('a Windows-1252 list that also holds UTF-8 characters: rows whose address reads two ways get no key, never a wrong one', async () => {
    const cp = iconv.encode([HEADER, 'A Ibáñez,9 Ibáñez St,,Austin,TX,78701', 'B Ibáñez,8 Ibáñez St,,Austin,TX,78701', 'C Ibáñez,6 Ibáñez St,,Austin,TX,78701'].join('\n') + '\n', 'win1252');
    const bytes = Buffer.concat([cp, Buffer.from(`${accentedRows[2]}\n${fillers(5).join('\n')}\n`)]);
    const { summary, discards } = await viaCli(bytes, 'mixed.csv');
    expect(summary.input.encoding).toBe('windows-1252');
    expect(summary.input.encodingDecidedBy).toBe('Windows-1252: 12 bytes that are not UTF-8, the first at byte 42, more than its 4 UTF-8 characters (rows whose address holds one of those get no key)');
    const rows = parse(discards, { columns: true }) as Record<string, string>[];
    expect(rows.find((row) => row.line_number === '5')).toMatchObject({ reason: 'ADDRESS_UNREADABLE', reason_detail: expect.stringMatching(/^BAD_ENCODING: the address holds UTF-8 characters in a file read as Windows-1252/) });
    expect(summary.rows.kept).toBe(8);
  });
});
