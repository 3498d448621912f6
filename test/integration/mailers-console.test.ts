import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/root';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createOperator, csrfFrom, signedInAgent } from '../support/operator-session';

describe('mailers in the operator console', () => {
  let root: TestRoot;
  let app: Express;

  beforeAll(async () => {
    root = await createTestRoot();
    app = createApp(root);
    await createOperator(root, 'ops@example.com');
  });
  afterAll(() => root.cleanup());

  it('creates a mailer, shows its key once, issues and revokes keys, and audits each step', async () => {
    const { agent, csrf } = await signedInAgent(app, 'ops@example.com');
    let token = await csrf('/operator/mailers');
    const created = await agent.post('/operator/mailers').type('form').send({ name: 'Acme Catalogs', _csrf: token });
    expect(created.status).toBe(201);
    const firstKey = /<code class="mp-api-key">(mp_[a-f0-9]{10}_[A-Za-z0-9_-]{43})<\/code>/.exec(created.text)![1]!;
    // The key opens the mailer API …
    expect((await request(app).get('/api/v1/lists').set('Authorization', `Bearer ${firstKey}`)).status).toBe(200);
    // … and never the console or the operator API.
    expect((await request(app).get('/operator/mailers').set('Authorization', `Bearer ${firstKey}`)).status).toBe(403);
    expect((await request(app).get('/api/v1/operator/runs').set('Authorization', `Bearer ${firstKey}`)).status).toBe(403);

    const detailPath = /\/operator\/mailers\/(\d+)\/keys/.exec(created.text)![0].replace('/keys', '');
    const detail = await agent.get(detailPath);
    expect(detail.text).not.toContain(firstKey);
    expect(detail.text).toContain(`mp_${firstKey.slice(3, 13)}_…`);

    token = csrfFrom(detail.text);
    const issued = await agent.post(`${detailPath}/keys`).type('form').send({ _csrf: token });
    expect(issued.status).toBe(201);
    const secondKey = /<code class="mp-api-key">(mp_[^<]+)<\/code>/.exec(issued.text)![1]!;
    expect(secondKey).not.toBe(firstKey);

    const revoked = await agent.post(`${detailPath}/keys/${firstKey.slice(3, 13)}/revoke`).type('form').send({ _csrf: csrfFrom(issued.text) });
    expect(revoked.status).toBe(303);
    expect((await request(app).get('/api/v1/lists').set('Authorization', `Bearer ${firstKey}`)).status).toBe(401);
    expect((await request(app).get('/api/v1/lists').set('Authorization', `Bearer ${secondKey}`)).status).toBe(200);

    const duplicate = await agent.post('/operator/mailers').type('form').send({ name: 'Acme Catalogs', _csrf: await csrf('/operator/mailers') });
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).toContain('already exists');

    const audit = (await root.services.audit.list()).map((entry) => `${entry.actor} ${entry.action} ${entry.targetId} ${String(entry.details.keyPrefix ?? '')}`);
    expect(audit.slice(0, 3)).toEqual([
      `ops@example.com mailer.key-revoke Acme Catalogs ${firstKey.slice(3, 13)}`,
      `ops@example.com mailer.key-issue Acme Catalogs ${secondKey.slice(3, 13)}`,
      `ops@example.com mailer.create Acme Catalogs ${firstKey.slice(3, 13)}`,
    ]);
  });
});
