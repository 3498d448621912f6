import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { startWorkers } from '../../src/start/worker';
import { createApp, createRoot, type Root } from '../../src/root';
import { createTestDatabase, testConfig } from '../support/test-root';
import { createMailerKey, upload, waitForList } from '../support/lists-fixtures';

jest.setTimeout(60_000);

/**
 * Logs never hold a field of an uploaded row: a list without a header row (its first row, a
 * household's name and address, read as the header) goes through the API and the worker with
 * every log line captured, at the most verbose level, and none of them holds the row's values.
 */
describe('personal data stays out of the logs', () => {
  let root: Root;
  let drop: () => Promise<void>;
  const lines: string[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const capture = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    root = await createRoot(testConfig({ DATABASE_URL: database.url }), { logger: pino({ level: 'trace' }, capture), migrate: false });
    startWorkers(root);
  });
  afterAll(async () => {
    for (const queue of root.queues.allQueues()) await queue.obliterate({ force: true }).catch(() => undefined);
    await root.stop();
    await drop();
  });

  it('a headerless list fails with its reason for the mailer, and no log line quotes its first row', async () => {
    const app = createApp(root);
    const key = await createMailerKey(root, 'Headerless Mailer');
    const res = await upload(app, key, Buffer.from('"Jane Doe","12 Secret Lane","Springfield","IL","62704"\n"John Roe","14 Hidden Way","Springfield","IL","62704"\n'));
    expect(res.status).toBe(202);
    const done = await waitForList(app, key, res.body.id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('Jane Doe'); // the mailer is told what was read, in its own list's error
    const status = await request(app).get(`/api/v1/lists/${res.body.id}/summary`).set('Authorization', `Bearer ${key}`);
    expect(status.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the worker's last lines
    const log = lines.join('');
    expect(log).toContain('"msg":"job failed"');
    for (const value of ['Jane Doe', 'Secret Lane', 'John Roe', 'Hidden Way', '62704']) expect(log).not.toContain(value);
  });
});
