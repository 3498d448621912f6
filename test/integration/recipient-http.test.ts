import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp, createRoot, type Root } from '../../src/root';
import { householdWithCode } from '../support/choices-fixtures';
import { createTestDatabase, testConfig } from '../support/test-root';

/** A root whose log lines are kept, to prove that no code reaches them. */
async function rootWithLog(overrides: Record<string, string>): Promise<{ root: Root; log: string[]; done: () => Promise<void> }> {
  const database = await createTestDatabase();
  const log: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      log.push(String(chunk));
      callback();
    },
  });
  const root = await createRoot(testConfig({ DATABASE_URL: database.url, ...overrides }), { logger: pino({ level: 'debug' }, stream), migrate: false });
  return {
    root,
    log,
    done: async () => {
      for (const queue of root.queues.allQueues()) await queue.obliterate({ force: true }).catch(() => undefined);
      await root.stop();
      await database.drop();
    },
  };
}

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
}

describe('household form security over HTTP', () => {
  let setup: Awaited<ReturnType<typeof rootWithLog>>;
  beforeAll(async () => {
    setup = await rootWithLog({ FORM_ATTEMPTS_PER_IP: '6', PUBLIC_URL: 'https://mailpref.example.org' });
  });
  afterAll(() => setup.done());

  it('refuses a form without a valid CSRF token, with a page that says what to do', async () => {
    const agent = request.agent(createApp(setup.root));
    const household = await householdWithCode(setup.root, { address1: '1 Forgery Ln', zip: '02134' });
    const response = await agent.post('/code').type('form').send({ code: household.code, zip: '02134' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('The form expired');
    const forged = await agent.post('/code').type('form').send({ _csrf: 'a.b', code: household.code, zip: '02134' });
    expect(forged.status).toBe(403);
  });

  it('keeps the code out of URLs, cookies and logs, and sets Secure, HttpOnly, SameSite cookies behind https', async () => {
    // Secure cookies are not sent back over the test's plain http by a cookie jar: pass them by hand.
    const app = createApp(setup.root);
    const household = await householdWithCode(setup.root, { address1: '2 Cookie Ct', zip: '02134' });
    const form = await request(app).get('/code');
    expect(form.headers['cache-control']).toBe('no-store');
    const jar = ([] as string[]).concat(form.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]).join('; ');
    const entered = await request(app).post('/code').set('Cookie', jar).type('form').send({ _csrf: csrfOf(form.text), code: household.code, zip: '02134' });
    expect(entered.status).toBe(303);
    expect(entered.headers.location).toBe('/choices');
    const cookies = ([] as string[]).concat(entered.headers['set-cookie'] ?? []);
    const session = cookies.find((cookie) => cookie.startsWith('__Host-mp_session='))!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; SameSite=Lax/);
    const compact = household.code.replace('-', '');
    for (const cookie of [...cookies, ...([] as string[]).concat(form.headers['set-cookie'] ?? [])]) {
      expect(cookie.toUpperCase()).not.toContain(compact);
    }
    const keys = await setup.root.redis.keys(`${setup.root.config.queue.prefix}:recipient-session:*`);
    expect(keys.length).toBeGreaterThan(0);
    const stored = (await Promise.all(keys.map((key) => setup.root.redis.get(key)))).join('');
    expect(stored).toContain('"accessCodeId"');
    expect(`${keys.join('')}${stored}`.toUpperCase()).not.toContain(compact);
    expect(await setup.root.redis.pttl(keys[0]!)).toBeGreaterThan(25 * 60_000);
    const withSession = `${jar}; ${session.split(';')[0]}`;
    expect((await request(app).get('/choices').set('Cookie', withSession)).status).toBe(200);
    // A newer card for the address ends the sessions opened with the old code: pages and submissions.
    await setup.root.services.accessCodes.issue(household.deliveryPointId);
    const ended = await request(app).get('/choices').set('Cookie', withSession);
    expect(ended.status).toBe(303);
    expect(ended.headers.location).toBe('/code?ended=1');
    const submitted = await request(app)
      .post('/confirm')
      .set('Cookie', withSession)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrfOf(form.text))}&shown=catalogs&shown=other&accept=other`);
    expect([submitted.status, submitted.headers.location]).toEqual([303, '/code?ended=1']);
    expect(await setup.root.services.choices.history(household.deliveryPointId)).toEqual([]);
    const logged = setup.log.join('');
    expect(logged).toContain('"path":"/code"');
    expect(logged.toUpperCase()).not.toContain(compact);
  });

  it('limits attempts per IP address across code entry and card requests', async () => {
    const agent = request.agent(createApp(setup.root));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const form = await agent.get('/lost-card');
      const response = await agent.post('/lost-card').type('form').send({ _csrf: csrfOf(form.text), address1: `${i + 1} Flood St`, zip: '02134' });
      statuses.push(response.status);
    }
    // Two posts were used by the tests above; the limit is 6 per window.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(4);
    const blocked = await agent.post('/code').type('form').send({ code: 'ZZZZZ-ZZZZZ', zip: '02134' });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many attempts');
  });

  it('sends a household without a session back to the code page', async () => {
    const response = await request(createApp(setup.root)).get('/choices');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/code?ended=1');
  });
});
