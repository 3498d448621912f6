import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startEmbeddedRedis } from '../../src/lib/embedded-redis';
import { createLogger } from '../../src/lib/logger';
import { createApp } from '../../src/root';
import { createTestRoot, type TestRoot } from '../support/test-root';

describe('HTTP app', () => {
  let root: TestRoot;

  beforeAll(async () => {
    root = await createTestRoot();
  });
  afterAll(() => root.cleanup());

  it('reports healthy when PostgreSQL and Redis answer', async () => {
    const response = await request(createApp(root)).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('lists the active categories from the database on a public page', async () => {
    await root.db.query(`UPDATE categories SET active = false WHERE slug = 'political'`);
    await root.db.query(`INSERT INTO categories (slug, name, description) VALUES ('seed-catalogs', 'Seed & bulb <catalogs>', 'Garden')`);
    const response = await request(createApp(root)).get('/categories');
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html');
    expect(response.text).toContain('Credit and insurance offers');
    expect(response.text).toContain('Seed &amp; bulb &lt;catalogs&gt;');
    expect(response.text).not.toContain('Political mail');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves the categories as JSON under /api/v1', async () => {
    const response = await request(createApp(root)).get('/api/v1/categories');
    expect(response.status).toBe(200);
    expect(response.body.categories[0]).toEqual({
      slug: 'catalogs',
      name: 'Catalogs',
      description: expect.stringContaining('catalogs'),
    });
  });

  it('answers unknown paths with JSON under /api and an HTML page elsewhere', async () => {
    const api = await request(createApp(root)).get('/api/v1/nothing-here');
    expect(api.status).toBe(404);
    expect(api.body).toEqual({ error: { code: 'NOT_FOUND', message: 'No page at /api/v1/nothing-here' } });
    const page = await request(createApp(root)).get('/nothing-here').set('Accept', 'text/html');
    expect(page.status).toBe(404);
    expect(page.text).toContain('<h1>Page not found</h1>');
  });

  it('serves the US Web Design System styles', async () => {
    const response = await request(createApp(root)).get('/assets/uswds/css/uswds.min.css');
    expect(response.status).toBe(200);
    expect(response.text).toContain('.usa-header');
  });
});

describe('/healthz when Redis goes down', () => {
  it('answers 503 naming Redis, and recovers nothing by itself while it stays down', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-redis-'));
    const redis = await startEmbeddedRedis(dataDir, createLogger('silent'));
    const root = await createTestRoot({ REDIS_URL: redis.url });
    try {
      const app = createApp(root);
      expect((await request(app).get('/healthz')).status).toBe(200);
      await redis.stop();
      const response = await request(app).get('/healthz');
      expect(response.status).toBe(503);
      expect(response.body.status).toBe('unavailable');
      expect(response.body.checks.postgres).toBe('ok');
      expect(response.body.checks.redis).toMatch(/^down: /);
    } finally {
      await root.cleanup();
      await redis.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
