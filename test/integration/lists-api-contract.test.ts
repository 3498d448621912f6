import { execFileSync } from 'node:child_process';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/root';
import { projectPath } from '../../src/lib/project-path';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createMailerKey, upload } from '../support/lists-fixtures';

describe('the mailer API as its OpenAPI document describes it', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;

  beforeAll(async () => {
    root = await createTestRoot();
    app = createApp(root);
    key = await createMailerKey(root, 'Contract Mailer');
    // No worker: uploads stay queued, which is all these tests need.
  });
  afterAll(async () => {
    await root?.cleanup();
  });

  it('is clean under Redocly lint (recommended-strict: operationIds, licence, a 4xx on every operation)', async () => {
    const document = (await request(app).get('/api/v1/openapi.json')).body;
    const output = execFileSync(process.execPath, [projectPath('test', 'support', 'lint-openapi.mjs')], { input: JSON.stringify(document) });
    expect(JSON.parse(output.toString())).toEqual([]);
  });

  it('documents the map_ upload fields and the Idempotency-Key header', async () => {
    const document = (await request(app).get('/api/v1/openapi.json')).body;
    const upload = document.paths['/lists'].post;
    expect(Object.keys(upload.requestBody.content['multipart/form-data'].schema.properties)).toEqual(
      expect.arrayContaining(['map_address1', 'map_address2', 'map_city', 'map_state', 'map_zip', 'map_zip4']),
    );
    expect(upload.parameters.map((parameter: { name: string; in: string }) => `${parameter.in}:${parameter.name}`)).toEqual(['header:Idempotency-Key']);
  });

  it('GET /categories answers 406 to a client that does not take JSON', async () => {
    const res = await request(app).get('/api/v1/categories').set('Accept', 'text/csv');
    expect([res.status, res.body.error.code]).toEqual([406, 'NOT_ACCEPTABLE']);
    expect((await request(app).get('/api/v1/categories')).status).toBe(200);
  });

  it('tells a client that sends X-Api-Key which header to use', async () => {
    const res = await request(app).get('/api/v1/lists').set('X-Api-Key', key);
    expect([res.status, res.body.error.code]).toEqual([401, 'MISSING_API_KEY']);
    expect(res.body.error.message).toBe('No API key: the key was sent in X-Api-Key, which mailpref does not read: send it as `Authorization: Bearer <key>`');
    expect((await request(app).get('/api/v1/lists')).body.error.message).toBe('No API key: send it as `Authorization: Bearer <key>`');
  });

  describe('Idempotency-Key', () => {
    const list = Buffer.from('address1,zip\r\n1 Retry Rd,78701\r\n');
    const withKey = (idempotencyKey: string, file = list, fields: Record<string, string> = {}) => upload(app, key, file, fields).set('Idempotency-Key', idempotencyKey);
    const jobCount = async () => (await request(app).get('/api/v1/lists').set('Authorization', `Bearer ${key}`)).body.lists.length as number;

    it('a retried upload with the same key returns the first list and starts no second job', async () => {
      const before = await jobCount();
      const first = await withKey('order-1001');
      expect(first.status).toBe(202);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const retried = await withKey('order-1001');
      expect(retried.status).toBe(202);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.body.id).toBe(first.body.id);
      expect(retried.headers.location).toBe(`/api/v1/lists/${first.body.id}`);
      expect(await jobCount()).toBe(before + 1);
      const queued = await root.queues.queue('cleanse-list').getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized']);
      expect(queued.filter((job) => job.data.listId === first.body.id)).toHaveLength(1);
    });

    it('two uploads with the same key at once make one job', async () => {
      const before = await jobCount();
      const [a, b] = await Promise.all([withKey('order-1002'), withKey('order-1002')]);
      expect([a.status, b.status]).toEqual([202, 202]);
      expect(a.body.id).toBe(b.body.id);
      expect(await jobCount()).toBe(before + 1);
    });

    it('the same key with another file or other options is refused, and the first list stays', async () => {
      const first = await withKey('order-1003');
      const otherFile = await withKey('order-1003', Buffer.from('address1,zip\r\n2 Other Rd,78701\r\n'));
      expect([otherFile.status, otherFile.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
      expect(otherFile.body.error.message).toContain(first.body.id);
      const otherMode = await withKey('order-1003', list, { mode: 'flag' });
      expect(otherMode.status).toBe(409);
      expect((await request(app).get(`/api/v1/lists/${first.body.id}`).set('Authorization', `Bearer ${key}`)).body.status).toBe('queued');
    });

    it('keys are per mailer: another mailer\'s same key makes its own list', async () => {
      const other = await createMailerKey(root, 'Other Contract Mailer');
      const mine = await withKey('order-1004');
      const theirs = await upload(app, other, list).set('Idempotency-Key', 'order-1004');
      expect(theirs.status).toBe(202);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('a key over 255 characters is a 400', async () => {
      const res = await withKey('k'.repeat(256));
      expect([res.status, res.body.error.details.field]).toEqual([400, 'Idempotency-Key']);
    });
  });
});
