import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { startEmbeddedRedis } from '../../src/lib/embedded-redis';
import { createLogger } from '../../src/lib/logger';
import type { EmbeddedServer } from '../../src/lib/embedded-postgres';
import { createApp, createRoot, type Root } from '../../src/root';
import { householdWithCode } from '../support/choices-fixtures';
import { createTestDatabase, testConfig } from '../support/test-root';

jest.setTimeout(60_000);

/**
 * With Redis frozen (SIGSTOP: the connection stays open and nothing answers), code entry used to
 * wait 15 s and more; it now answers 503 with a page that says to try again, within seconds.
 */
describe('code entry while Redis is frozen', () => {
  let dir: string;
  let redis: EmbeddedServer;
  let redisPid: number;
  let root: Root;
  let drop: () => Promise<void>;
  let app: Express;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-frozen-'));
    redis = await startEmbeddedRedis(dir, createLogger('silent'));
    redisPid = (JSON.parse(fs.readFileSync(path.join(dir, 'redis', 'mailpref-redis.json'), 'utf8')) as { pid: number }).pid;
    const database = await createTestDatabase();
    drop = database.drop;
    root = await createRoot(testConfig({ DATABASE_URL: database.url, REDIS_URL: redis.url }), { logger: createLogger('silent'), migrate: false });
    app = createApp(root);
  });
  afterAll(async () => {
    process.kill(redisPid, 'SIGCONT');
    await root?.stop();
    await drop?.();
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(root.config.dataDir, { recursive: true, force: true });
  });

  it('answers 503 within seconds, and works again once Redis does', async () => {
    const household = await householdWithCode(root, { address1: '4 Frozen Pond Rd', zip: '02134' });
    const agent = request.agent(app);
    const form = await agent.get('/code');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    process.kill(redisPid, 'SIGSTOP');
    try {
      const started = Date.now();
      const answer = await agent.post('/code').type('form').send({ _csrf: csrf, code: household.code, zip: '02134' }).timeout(12_000);
      const took = Date.now() - started;
      expect(answer.status).toBe(503);
      expect(answer.text).toContain('The service is busy');
      expect(answer.text).toContain('nothing has been changed');
      expect(took).toBeLessThan(5_000);
      process.stdout.write(`POST /code with Redis frozen: ${answer.status} after ${took} ms\n`);
    } finally {
      process.kill(redisPid, 'SIGCONT');
    }
    const again = await agent.post('/code').type('form').send({ _csrf: csrf, code: household.code, zip: '02134' });
    expect(again.status).toBe(303);
  });
});
