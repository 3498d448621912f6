import fs from 'node:fs';
import type { Express } from 'express';
import request from 'supertest';
import { createApp, createRoot, type Root } from '../../src/root';
import { capturedLogger, type LogLine } from '../support/log-lines';
import { createOperator, signedInAgent } from '../support/operator-session';
import { createTestDatabase, testConfig } from '../support/test-root';

const MALFORMED_LIST_IDS = ['-'.repeat(36), 'a'.repeat(36), '1e99', '99999999999999999999'];
const MALFORMED_SERIAL_IDS = ['1e99', '99999999999999999999', '2147483648', '-1', '0x10', '1.5', '007'];

/**
 * An id that names nothing because it is malformed is answered like one that names nothing
 * because it does not exist: 404 (JSON on the API), never a 500 from a failed PostgreSQL cast,
 * and nothing logged at error level.
 */
describe('malformed ids', () => {
  let root: Root;
  let drop: () => Promise<void>;
  let app: Express;
  let lines: LogLine[];
  let key: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const captured = capturedLogger();
    lines = captured.lines;
    root = await createRoot(testConfig({ DATABASE_URL: database.url }), { logger: captured.logger, migrate: false });
    app = createApp(root);
    key = (await root.services.mailers.createMailer('Id Mailer')).apiKey;
    await createOperator(root, 'ids@example.com');
  });
  afterAll(async () => {
    await root.stop();
    await drop();
    fs.rmSync(root.config.dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  });

  it.each(MALFORMED_LIST_IDS)('the API answers 404 with a JSON error for list id %s', async (id) => {
    for (const path of [`/api/v1/lists/${id}`, `/api/v1/lists/${id}/cleansed`, `/api/v1/lists/${id}/summary`]) {
      const res = await request(app).get(path).set('Authorization', `Bearer ${key}`);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'LIST_NOT_FOUND']);
    }
    const deleted = await request(app).delete(`/api/v1/lists/${id}`).set('Authorization', `Bearer ${key}`);
    expect(deleted.status).toBe(404);
  });

  it.each(MALFORMED_SERIAL_IDS)('the console answers 404 for id %s of a mailer, schedule, job run, audit page and move reject report', async (id) => {
    const { agent, csrf } = await signedInAgent(app, 'ids@example.com');
    const token = await csrf('/operator/mailers');
    const gets = [`/operator/mailers/${id}`, `/operator/schedules/${id}`, `/operator/schedules/${id}/edit`, `/operator/imports/moves/${id}/rejects.csv`, `/operator/runs/${id}/files/rejectsKey`];
    // Audit entries have bigint ids: 2147483648 is a cursor like any other there.
    if (id !== '2147483648') gets.push(`/operator/audit?before=${id}`);
    for (const path of gets) expect([path, (await agent.get(path)).status]).toEqual([path, 404]);
    const posts = [`/operator/runs/${id}/retry`, `/operator/schedules/${id}/pause`, `/operator/mailers/${id}/keys`, `/operator/categories/${id}/retire`, `/operator/lists/${id}/retry`];
    for (const path of posts) expect([path, (await agent.post(path).type('form').send({ _csrf: token })).status]).toEqual([path, 404]);
  });
});
