import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { startWorkers } from '../../src/start/worker';
import { createApp } from '../../src/root';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createMailerKey, upload, waitForList } from '../support/lists-fixtures';

describe('bad input through the API: a clear error or a reasoned discard, never a crash or a lost row', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;

  beforeAll(async () => {
    root = await createTestRoot({ LIST_MAX_UPLOAD_BYTES: '4096' });
    app = createApp(root);
    startWorkers(root);
    key = await createMailerKey(root, 'Careless Mailer');
  });
  afterAll(async () => {
    await root?.cleanup();
  });

  async function failedWith(file: Buffer): Promise<string> {
    const res = await upload(app, key, file);
    expect(res.status).toBe(202);
    const done = await waitForList(app, key, res.body.id);
    expect(done.status).toBe('failed');
    expect(done.attempts).toBe(1); // bad input is not retried
    // Its outputs are asked for: the 409 says the list failed and why, not "ready when completed".
    for (const output of ['cleansed', 'summary', 'report']) {
      const files = await request(app).get(`/api/v1/lists/${res.body.id}/${output}`).set('Authorization', `Bearer ${key}`);
      expect([files.status, files.body.error.code]).toEqual([409, 'LIST_FAILED']);
      expect(files.body.error.message).toBe(`The list failed: ${done.error}. It has no ${output === 'cleansed' ? 'files' : output}: correct the file and upload it again`);
    }
    return done.error as string;
  }

  it('an empty file is refused at upload', async () => {
    const res = await upload(app, key, Buffer.alloc(0));
    expect([res.status, res.body.error.code]).toEqual([400, 'EMPTY_FILE']);
  });

  it('a header without rows fails the job saying so', async () => {
    expect(await failedWith(Buffer.from('address1,city,state,zip\r\n'))).toBe('The list has a header row but no data rows');
  });

  it('no address column: the job fails listing the headers it saw and how to map them', async () => {
    const error = await failedWith(Buffer.from('Name,Email\nAnn,ann@example.com\n'));
    expect(error).toContain('The header row has: "Name", "Email"');
    expect(error).toContain('in the portal under "Column names", in the API with a `mapping` field and in the CLI with --map');
  });

  it('a binary file', async () => {
    expect(await failedWith(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]))).toMatch(/not a text list/);
  });

  it('UTF-16 without a byte-order mark is read as UTF-16 (decided by where its NUL bytes are)', async () => {
    const res = await upload(app, key, Buffer.from('address1,zip\n1 A St,78701\n', 'utf16le'));
    const done = await waitForList(app, key, res.body.id);
    expect(done).toMatchObject({ status: 'completed', counts: { rowsIn: 1, kept: 1 } });
  });

  it('an unclosed quote at row N and rows with too many or too few fields are discarded with reasons; every row is counted', async () => {
    const file = Buffer.from('address1,zip\n1 A St,78701\n"2 B St,78701\n3 C St\n4 D St,78701,x\n5 E St,78701\n');
    const res = await upload(app, key, file);
    const done = await waitForList(app, key, res.body.id);
    expect(done.counts).toEqual({ rowsIn: 5, kept: 2, discarded: 3, discardedByReason: { OPTED_OUT: 0, ADDRESS_UNREADABLE: 0, DUPLICATE: 0, MALFORMED_ROW: 3 } });
    const report = await request(app).get(`/api/v1/lists/${res.body.id}/discards`).set('Authorization', `Bearer ${key}`);
    expect(report.text).toContain('3,MALFORMED_ROW,a quote opened on line 3 is not closed on that line (an unclosed quote)');
    expect(report.text).toContain('4,MALFORMED_ROW,"expected 2 fields (as in the header), found 1"');
    expect(report.text).toContain('5,MALFORMED_ROW,"expected 2 fields (as in the header), found 3"');
  });

  it('an unknown or a retired category', async () => {
    const unknown = await upload(app, key, Buffer.from('address1,zip\n1 A St,78701\n'), { category: 'nonsense' });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.message]).toEqual([404, 'UNKNOWN_CATEGORY', 'Unknown category "nonsense"']);
    await root.db.query(`UPDATE categories SET active = false WHERE slug = 'political'`);
    const retired = await upload(app, key, Buffer.from('address1,zip\n1 A St,78701\n'), { category: 'political' });
    expect([retired.status, retired.body.error.code]).toEqual([400, 'RETIRED_CATEGORY']);
    const missing = await request(app).post('/api/v1/lists').set('Authorization', `Bearer ${key}`).attach('file', Buffer.from('address1,zip\n'), 'x.csv');
    expect([missing.status, missing.body.error.message]).toEqual([400, expect.stringContaining('`category` field')]);
  });

  it('an upload over the limit gets a 413 naming the limit', async () => {
    const res = await upload(app, key, Buffer.alloc(10_000, 'a'));
    expect([res.status, res.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(res.body.error.message).toContain('upload limit of 4 KiB (LIST_MAX_UPLOAD_BYTES)');
  });

  it('a 3 GiB upload is refused from its Content-Length as soon as its file starts, before any of it is stored (default limit: 2 GiB)', async () => {
    const big = await createTestRoot();
    const server = http.createServer(createApp(big));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const apiKey = await createMailerKey(big, 'Big Mailer');
    try {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: (server.address() as AddressInfo).port,
            method: 'POST',
            path: '/api/v1/lists',
            headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(3 * 1024 ** 3) },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body: text }));
          },
        );
        req.on('error', reject);
        req.write('--x\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n\r\naddress1,zip\r\n');
      });
      expect(status).toBe(413);
      expect(JSON.parse(body).error.message).toContain('upload limit of 2 GiB');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await big.cleanup();
    }
  });

  it('an upload interrupted half-way queues nothing and leaves no file behind', async () => {
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const before = (await root.db.query('SELECT count(*) AS n FROM list_jobs')).rows[0]!.n;
    try {
      await new Promise<void>((resolve) => {
        const req = http.request({
          host: '127.0.0.1',
          port: (server.address() as AddressInfo).port,
          method: 'POST',
          path: '/api/v1/lists',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': '3000' },
        });
        req.on('error', () => resolve());
        req.write('--x\r\nContent-Disposition: form-data; name="category"\r\n\r\ncatalogs\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\n\r\naddress1,zip\r\n1 A St,78701\r\n');
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 300);
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await root.db.query('SELECT count(*) AS n FROM list_jobs')).rows[0]!.n).toBe(before);
      const dir = `${root.config.filesDir}/lists`;
      const leftovers = existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((name) => String(name).includes('upload')) : [];
      expect(leftovers.length).toBe(before);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the same file uploaded twice is processed twice, each with its own id', async () => {
    const file = Buffer.from('address1,zip\n1 Twice St,78701\n');
    const [a, b] = await Promise.all([upload(app, key, file), upload(app, key, file)]);
    expect(a.body.id).not.toBe(b.body.id);
    const [doneA, doneB] = await Promise.all([waitForList(app, key, a.body.id), waitForList(app, key, b.body.id)]);
    expect([doneA.status, doneB.status]).toEqual(['completed', 'completed']);
    expect(doneA.inputSha256).toBe(doneB.inputSha256);
  });
});
