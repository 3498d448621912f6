import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { startWorkers } from '../../src/start/worker';
import { createApp } from '../../src/root';
import { cleanseLocalFile } from '../../src/lists/jobs/local-cleanse';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createMailerKey, upload, waitForList } from '../support/lists-fixtures';

jest.setTimeout(180_000);

const HEADER = 'name,address1,city,state,zip\n';
const SLICE = 128 * 1024;
const LIMIT = 1 << 20;

/**
 * A list whose record on line `line` is `recordBytes` long (line break included) and starts
 * `offset` bytes after a 128 KiB boundary of the file; `fillerBytes` of ordinary rows before it
 * (about), and a few after.
 */
function listWithRecord(recordBytes: number, offset: number, fillerBytes: number): { bytes: Buffer; line: number } {
  const rows: string[] = [];
  let length = HEADER.length;
  while (length < fillerBytes) {
    const row = `N${rows.length % 10},${1000 + (rows.length % 9000)} Main St,Austin,TX,78701\n`;
    rows.push(row);
    length += row.length;
  }
  // one row of the length that puts the long record `offset` bytes into a slice
  const shortest = 'P,1  St,Austin,TX,78701\n'.length;
  let gap = (offset - (length % SLICE) + SLICE) % SLICE;
  if (gap < shortest) gap += SLICE;
  rows.push(`P,1 ${'X'.repeat(gap - shortest)} St,Austin,TX,78701\n`);
  const big = `Big,1 ${'A'.repeat(recordBytes - 'Big,1 ,Austin,TX,78701\n'.length)},Austin,TX,78701\n`;
  const after = 'Last,2 Main St,Austin,TX,78701\n';
  const bytes = Buffer.from(HEADER + rows.join('') + big + after);
  expect(bytes.indexOf('Big,') % SLICE).toBe(offset);
  return { bytes, line: 2 + rows.length };
}

const OFFSETS = [0, 1, 70_000, SLICE - 20, SLICE - 1];

describe('the 1 MiB record limit: the same answer on every path, wherever the record falls', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;
  let dir: string;

  beforeAll(async () => {
    // Lists over 2 MiB of rows are chunked: the small ones below go in one pass, the large ones in chunks.
    root = await createTestRoot({ LIST_CHUNK_BYTES: String(2 * 1024 * 1024), LIST_MAX_UPLOAD_BYTES: String(64 * 1024 * 1024) });
    app = createApp(root);
    startWorkers(root);
    key = await createMailerKey(root, 'Long Records');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-record-limit-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await root?.cleanup();
  });

  async function viaCli(bytes: Buffer): Promise<string> {
    const file = path.join(dir, 'list.csv');
    fs.writeFileSync(file, bytes);
    try {
      const { summary } = await cleanseLocalFile(
        { categories: root.services.categories, refusedKeys: new RefusedKeysStore(root.db), freshnessDays: 30 },
        file,
        { categorySlug: 'catalogs', outDir: path.join(dir, 'out'), mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {} },
      );
      return `completed ${summary.rows.in}`;
    } catch (error) {
      return `failed: ${(error as Error).message}`;
    }
  }

  async function viaApi(bytes: Buffer): Promise<string> {
    const res = await upload(app, key, bytes);
    expect(res.status).toBe(202);
    const done = await waitForList(app, key, res.body.id, 120_000);
    return done.status === 'completed' ? `completed ${done.counts.rowsIn}` : `failed: ${done.error}`;
  }

  it.each(OFFSETS)('a 1.1 MB record starting %i bytes into a 128 KiB slice is refused by the CLI and the API, unchunked and chunked', async (offset) => {
    for (const fillerBytes of [10_000, 3_000_000]) {
      const { bytes, line } = listWithRecord(1_100_000, offset, fillerBytes);
      const refused = `failed: line ${line}: a record longer than ${LIMIT} bytes; the file is probably not a CSV list`;
      expect(await viaCli(bytes)).toBe(refused);
      expect(await viaApi(bytes)).toBe(refused);
    }
  });

  it.each([0, SLICE - 1])('a record of exactly 1 MiB starting %i bytes into a slice is a row like any other, on every path', async (offset) => {
    for (const fillerBytes of [10_000, 3_000_000]) {
      const { bytes, line } = listWithRecord(LIMIT, offset, fillerBytes);
      const rows = line; // the header is line 1, the last row comes after the big one
      expect(await viaCli(bytes)).toBe(`completed ${rows}`);
      expect(await viaApi(bytes)).toBe(`completed ${rows}`);
    }
  });
});
