import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/root';
import { startWorkers } from '../../src/start/worker';
import { isPublicAddress } from '../../src/lib/outbound-address';
import { deriveKey } from '../../src/lib/server-secret';
import { WebhookSettingsService } from '../../src/mailers/webhook-settings-service';
import { WebhookSettingsStore } from '../../src/mailers/webhook-settings-store';
import { ListWebhooks } from '../../src/lists/webhooks/list-webhooks';
import { processListWebhook } from '../../src/lists/webhooks/list-webhook-job';
import { WebhookDeliveriesStore } from '../../src/lists/webhooks/webhook-deliveries-store';
import { verifySignature } from '../../src/lists/webhooks/webhook-signature';
import { postJson } from '../../src/lists/webhooks/webhook-sender';
import { ListsStore } from '../../src/lists/lists-store';
import { createMailerKey, upload, waitForList } from '../support/lists-fixtures';
import { csrfFrom } from '../support/operator-session';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { waitFor } from '../support/wait-for';

const LIST = Buffer.from('address1,zip\n1 Main St,02134\n2 Main St,02134\n');

interface Received {
  at: number;
  signature: string;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 that answers each request with the next status of `statuses` (then 204). */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ at: Date.now(), signature: String(req.headers['mailpref-signature'] ?? ''), body });
      res.statusCode = statuses.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('list webhooks: signed, retried, every attempt shown', () => {
  let root: TestRoot;
  let app: Express;
  let apiKey: string;
  const api = (method: 'get' | 'put' | 'post' | 'delete', path: string) => request(app)[method](path).set('Authorization', `Bearer ${apiKey}`);

  beforeAll(async () => {
    root = await createTestRoot({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_DELAY_MS: '300' });
    app = createApp(root);
    startWorkers(root);
    apiKey = await createMailerKey(root, 'Hook Mailer');
  });
  afterAll(() => root.cleanup());

  it('posts list.completed signed with the secret, retries after a 500 with a pause, and records each attempt', async () => {
    const hook = await receiver([500]);
    try {
      const set = await api('put', '/api/v1/webhook').send({ url: hook.url });
      expect(set.status).toBe(201);
      expect(set.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(set.headers['cache-control']).toBe('no-store');
      const secret = set.body.secret as string;
      expect((await api('get', '/api/v1/webhook')).body).toMatchObject({ url: hook.url });
      expect((await api('get', '/api/v1/webhook')).body.secret).toBeUndefined();

      const id = (await upload(app, apiKey, LIST)).body.id as string;
      await waitForList(app, apiKey, id);
      const view = await waitFor(async () => {
        const res = await api('get', `/api/v1/lists/${id}`);
        return res.body.webhookDeliveries?.length === 2 ? res.body : undefined;
      }, 30_000, 'two webhook attempts');

      expect(view.webhookDeliveries).toEqual([
        expect.objectContaining({ event: 'list.completed', attempt: 1, url: hook.url, statusCode: 500, error: null, delivered: false, durationMs: expect.any(Number) }),
        expect.objectContaining({ event: 'list.completed', attempt: 2, url: hook.url, statusCode: 204, error: null, delivered: true }),
      ]);
      expect(hook.received).toHaveLength(2);
      // BullMQ's backoff: the retry waited (WEBHOOK_RETRY_DELAY_MS = 300).
      expect(hook.received[1]!.at - hook.received[0]!.at).toBeGreaterThanOrEqual(250);
      for (const { signature, body } of hook.received) {
        expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
        expect(verifySignature(secret, signature, body)).toBe(true);
        expect(verifySignature(secret, signature, body.replace('completed', 'failed'))).toBe(false);
        expect(verifySignature('whsec_another', signature, body)).toBe(false);
      }
      const event = JSON.parse(hook.received[1]!.body);
      expect(event).toMatchObject({ id: `${id}.list.completed`, type: 'list.completed', data: { list: { id, status: 'completed', counts: { rowsIn: 2 } } } });
      expect(event.data.list.links.self).toBe(`${root.config.http.publicUrl}/api/v1/lists/${id}`);
      expect(event.data.list.webhookDeliveries).toBeUndefined();

      // The portal's page of the list shows the attempts too.
      const agent = request.agent(app);
      const signIn = await agent.get('/mailer');
      await agent.post('/mailer/sign-in').type('form').send({ api_key: apiKey, _csrf: csrfFrom(signIn.text) });
      const page = (await agent.get(`/mailer/lists/${id}`)).text;
      expect(page).toContain('mp-webhook-deliveries');
      expect(page).toContain('HTTP 500');
      expect(page).toContain('HTTP 204 (delivered)');
    } finally {
      await hook.close();
    }
  });

  it('posts list.failed for a list that fails, signed with the secret made last', async () => {
    const hook = await receiver([]);
    try {
      await api('put', '/api/v1/webhook').send({ url: hook.url }).expect(200);
      const old = (await api('post', '/api/v1/webhook/secret')).body.secret as string;
      const rotated = await api('post', '/api/v1/webhook/secret');
      expect(rotated.status).toBe(200);
      const secret = rotated.body.secret as string;
      expect(secret).not.toBe(old);

      const id = (await upload(app, apiKey, Buffer.from('address1,city,state,zip\r\n'), {}, 'header-only.csv')).body.id as string;
      expect((await waitForList(app, apiKey, id)).status).toBe('failed');
      await waitFor(async () => (hook.received.length === 1 ? true : undefined), 30_000, 'the list.failed event');
      const [{ signature, body }] = hook.received;
      expect(JSON.parse(body)).toMatchObject({ type: 'list.failed', data: { list: { id, status: 'failed', error: expect.any(String) } } });
      expect(verifySignature(secret, signature, body)).toBe(true);
      expect(verifySignature(old, signature, body)).toBe(false);
    } finally {
      await hook.close();
    }
  });

  it('without WEBHOOK_ALLOW_PRIVATE, refuses addresses that are not http(s) or not public, when set and when sent', async () => {
    const settings = new WebhookSettingsService(new WebhookSettingsStore(root.db), deriveKey(root.secret, 'webhook-secret'), { allowPrivate: false });
    const [mailer] = await root.db.query<{ id: number }>(`SELECT id FROM mailers WHERE name = 'Hook Mailer'`).then((result) => result.rows);
    for (const url of ['', 'not a url', 'ftp://example.com/x', 'https://user:pw@example.com/', 'http://127.0.0.1:9/x', 'http://localhost/x', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data', 'http://10.1.2.3/', 'http://[::ffff:192.168.0.1]/']) {
      await expect(settings.set(mailer!.id, url)).rejects.toMatchObject({ statusCode: 400, code: 'BAD_WEBHOOK_URL', details: { field: 'url' } });
    }
    // The API answers 400 naming the field (this root allows private addresses, never another scheme).
    const refused = await api('put', '/api/v1/webhook').send({ url: 'file:///etc/passwd' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'BAD_WEBHOOK_URL', details: { field: 'url' } });

    // A webhook saved while private addresses were allowed is not sent to one when they are not.
    const hook = await receiver([]);
    try {
      await api('put', '/api/v1/webhook').send({ url: hook.url }).expect(200);
      const id = (await upload(app, apiKey, LIST)).body.id as string;
      await waitForList(app, apiKey, id);
      const strict = new ListWebhooks(new ListsStore(root.db), new WebhookDeliveriesStore(root.db), settings, root.queues, { allowPrivate: false, attempts: 1, retryDelayMs: 1, timeoutMs: 1000, publicUrl: 'http://x' }, root.logger);
      await expect(processListWebhook(strict, { data: { listId: id, event: 'list.failed' }, attemptsMade: 0 } as never)).rejects.toMatchObject({ name: 'UnrecoverableError', message: expect.stringContaining('127.0.0.1') });
      const attempts = (await api('get', `/api/v1/lists/${id}`)).body.webhookDeliveries as { event: string; error: string | null }[];
      expect(attempts.find((attempt) => attempt.event === 'list.failed')).toMatchObject({ statusCode: null, delivered: false, error: expect.stringContaining('non-public') });
      expect(hook.received.filter((event) => JSON.parse(event.body).type === 'list.failed')).toEqual([]);
    } finally {
      await hook.close();
    }
  });

  it('checks the address a host name resolves to when it connects: localhost is refused, unless private addresses are allowed', async () => {
    const hook = await receiver([202]);
    try {
      const byName = hook.url.replace('127.0.0.1', 'localhost');
      await expect(postJson(byName, '{}', {}, { allowPrivate: false, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'REFUSED_ADDRESS', message: expect.stringContaining('localhost resolves to') });
      expect(hook.received).toHaveLength(0);
      await expect(postJson(byName, '{"a":1}', { 'X-Test': '1' }, { allowPrivate: true, timeoutMs: 2000 })).resolves.toBe(202);
      expect(hook.received.map((request) => request.body)).toEqual(['{"a":1}']);
    } finally {
      await hook.close();
    }
  });

  it('tells public addresses from loopback, private, link-local and special ones', () => {
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111']) expect([address, isPublicAddress(address)]).toEqual([address, true]);
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1', 'not an ip']) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
  });

  it('sets, rotates and removes the webhook from the portal, each problem of the form at its field, the secret shown once', async () => {
    const hook = await receiver([]);
    try {
      await api('delete', '/api/v1/webhook');
      const agent = request.agent(app);
      const signIn = await agent.get('/mailer');
      await agent.post('/mailer/sign-in').type('form').send({ api_key: apiKey, _csrf: csrfFrom(signIn.text) });
      const form = await agent.get('/mailer/webhook');
      expect(form.text).toContain('No webhook yet');
      const empty = await agent.post('/mailer/webhook').type('form').send({ url: '', _csrf: csrfFrom(form.text) });
      expect(empty.status).toBe(400);
      expect(empty.text).toContain('<a class="usa-link" href="#url">Enter the address to send events to');
      expect(empty.text).toMatch(/id="url"[^>]*aria-invalid="true"/);
      const saved = await agent.post('/mailer/webhook').type('form').send({ url: hook.url, _csrf: csrfFrom(empty.text) });
      expect(saved.status).toBe(201);
      expect(saved.headers['cache-control']).toBe('no-store');
      const secret = /<code class="mp-secret">(whsec_[^<]+)<\/code>/.exec(saved.text)?.[1];
      expect(secret).toBeDefined();
      expect((await agent.get('/mailer/webhook')).text).not.toContain(secret!);
      const rotated = await agent.post('/mailer/webhook/secret').type('form').send({ _csrf: csrfFrom(saved.text) });
      const next = /<code class="mp-secret">(whsec_[^<]+)<\/code>/.exec(rotated.text)?.[1];
      expect(next).toBeDefined();
      expect(next).not.toBe(secret);
      const removed = await agent.post('/mailer/webhook/delete').type('form').send({ _csrf: csrfFrom(rotated.text) });
      expect(removed.status).toBe(303);
      expect((await api('get', '/api/v1/webhook')).status).toBe(404);
    } finally {
      await hook.close();
    }
  });
});
