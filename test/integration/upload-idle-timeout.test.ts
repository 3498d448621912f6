import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, createRoot, type Root } from '../../src/root';
import { listen } from '../../src/start/process';
import { generatedList } from '../support/lists-fixtures';
import { capturedLogger, type LogLine } from '../support/log-lines';
import { createTestDatabase, testConfig } from '../support/test-root';

jest.setTimeout(60_000);

const IDLE_MS = 1_000;

/**
 * An upload has no total time limit (Node's default requestTimeout of 5 minutes failed a steady
 * 50 KB/s upload at 311 s, logged as 200), only an idle one (UPLOAD_IDLE_TIMEOUT_MS, lowered here
 * to 1 s): a slow upload that never pauses that long is received whatever it takes; one that does
 * gets a 408, logged as 408, and leaves nothing stored.
 */
describe('a slow upload', () => {
  let root: Root;
  let drop: () => Promise<void>;
  let server: http.Server;
  let key: string;
  let lines: LogLine[];

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const captured = capturedLogger();
    const logger = captured.logger;
    lines = captured.lines;
    root = await createRoot(testConfig({ DATABASE_URL: database.url, PORT: '0', UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_MS) }), { logger, migrate: false });
    server = await listen(root, createApp(root));
    key = (await root.services.mailers.createMailer('Slow Line Mailer')).apiKey;
  });
  afterAll(async () => {
    for (const queue of root.queues.allQueues()) await queue.obliterate({ force: true }).catch(() => undefined);
    await root.stop();
    await drop();
    fs.rmSync(root.config.dataDir, { recursive: true, force: true });
  });

  /** Posts a multipart list upload, its file in `pieces`, each after waiting pauses[i] ms; the answer's status and body. */
  function slowUpload(file: Buffer, pieces: number, pause: (index: number) => number): Promise<{ status: number; body: Record<string, any>; ms: number }> {
    const boundary = 'mailpref-slow-upload';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\ncatalogs\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        { port: (server.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST', path: '/api/v1/lists', headers: { Authorization: `Bearer ${key}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), ms: Date.now() - started }));
        },
      );
      req.on('error', reject);
      req.write(head);
      const size = Math.ceil(file.length / pieces);
      const send = async () => {
        for (let i = 0; i < pieces; i++) {
          await new Promise((wait) => setTimeout(wait, pause(i)));
          if (req.destroyed) return;
          req.write(file.subarray(i * size, (i + 1) * size));
        }
        req.end(tail);
      };
      send().catch(reject);
    });
  }

  it('is received however long it takes while it never pauses for the idle limit', async () => {
    const list = generatedList(2000, 500);
    // 20 pieces, one every 250 ms: five times the idle limit in all.
    const answer = await slowUpload(list.bytes, 20, () => 250);
    expect(answer.ms).toBeGreaterThan(5 * IDLE_MS);
    expect(answer.status).toBe(202);
    expect(answer.body.inputBytes).toBe(list.bytes.length);
    expect(server.requestTimeout).toBe(0);
  });

  it('is answered 408, logged as 408, once it pauses longer than the idle limit, and nothing is kept', async () => {
    const list = generatedList(2000, 500);
    const before = await root.db.query('SELECT count(*) AS n FROM list_jobs');
    const answer = await slowUpload(list.bytes, 4, (i) => (i === 2 ? 3 * IDLE_MS : 50));
    expect(answer.status).toBe(408);
    expect(answer.body.error).toEqual({ code: 'REQUEST_TIMEOUT', message: 'Nothing arrived for 1 s, so the upload was stopped; send the file again' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logged = lines.filter((line) => line.req?.path === '/api/v1/lists' && line.res);
    expect(logged.map((line) => line.res!.statusCode)).toEqual([202, 408]);
    expect((await root.db.query('SELECT count(*) AS n FROM list_jobs')).rows).toEqual(before.rows);
    const stored = fs.existsSync(`${root.config.filesDir}/lists`) ? fs.readdirSync(`${root.config.filesDir}/lists`) : [];
    expect(stored).toHaveLength(1); // the first test's list only
  });
});
