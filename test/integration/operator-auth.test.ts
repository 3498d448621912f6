import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/root';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { waitFor } from '../support/wait-for';
import { createOperator, csrfFrom, signedInAgent, TEST_PASSWORD } from '../support/operator-session';

describe('operator sign-in and authorization', () => {
  let root: TestRoot;
  let app: Express;

  beforeAll(async () => {
    root = await createTestRoot();
    app = createApp(root);
    await createOperator(root, 'ops@example.com');
  });
  afterAll(() => root.cleanup());

  it('sends anonymous visitors of any console page to the sign-in page, and the operator API answers 401', async () => {
    for (const path of ['/operator', '/operator/schedules', '/operator/audit', '/operator/queues', '/operator/imports']) {
      const response = await request(app).get(path);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/operator/sign-in?next=${encodeURIComponent(path)}`);
    }
    const api = await request(app).get('/api/v1/operator/schedules');
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('SIGN_IN_REQUIRED');
  });

  it('refuses mailer API keys on every operator path, even with a signed-in session', async () => {
    const { agent } = await signedInAgent(app, 'ops@example.com');
    for (const path of ['/operator', '/operator/schedules', '/api/v1/operator/schedules', '/operator/queues']) {
      const byBearer = await request(app).get(path).set('Authorization', 'Bearer mp_live_abcdef123456');
      expect(byBearer.status).toBe(403);
      const byHeader = await agent.get(path).set('X-Api-Key', 'mp_live_abcdef123456');
      expect(byHeader.status).toBe(403);
    }
  });

  it('rejects a form posted without its CSRF token with 403, and with a token from another session', async () => {
    const { agent, csrf } = await signedInAgent(app, 'ops@example.com');
    const missing = await agent.post('/operator/categories').type('form').send({ slug: 'travel', name: 'Travel' });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('The form expired');
    const anonymousToken = csrfFrom((await request(app).get('/operator/sign-in')).text);
    const foreign = await agent.post('/operator/categories').type('form').send({ slug: 'travel', name: 'Travel', _csrf: anonymousToken });
    expect(foreign.status).toBe(403);
    // (the token is fetched before the request is built: supertest attaches cookies when it is created)
    const token = await csrf();
    const ok = await agent.post('/operator/categories').type('form').send({ slug: 'travel', name: 'Travel', _csrf: token });
    expect(ok.status).toBe(303);
    const signInWithoutToken = await request(app).post('/operator/sign-in').type('form').send({ email: 'ops@example.com', password: TEST_PASSWORD });
    expect(signInWithoutToken.status).toBe(403);
  });

  it("lets Bull Board's own JSON calls through without a form token, but not a form post", async () => {
    const { agent } = await signedInAgent(app, 'ops@example.com');
    const pause = await agent.put('/operator/queues/api/queues/pause').set('Content-Type', 'application/json').send({});
    expect(pause.status).toBe(200);
    expect(await root.queues.queue('statistics').isPaused()).toBe(true);
    await agent.put('/operator/queues/api/queues/resume').set('Content-Type', 'application/json').send({});
    expect(await root.queues.queue('statistics').isPaused()).toBe(false);
    // The board's actions are audited once their response has gone out.
    const board = await waitFor(async () => {
      const found = (await root.services.audit.list({ limit: 5 })).filter((entry) => entry.action === 'queues.put').map((entry) => entry.targetId);
      return found.length === 2 ? found : undefined;
    }, 5_000, 'the audit entries of the board');
    expect(board.sort()).toEqual(['queues/pause', 'queues/resume']);
    const forged = await agent.post('/operator/queues/api/queues/statistics/add').type('form').send({ name: 'x' });
    expect(forged.status).toBe(403);
    expect((await request(app).put('/operator/queues/api/queues/pause').set('Content-Type', 'application/json').send({})).status).toBe(303);
  });

  it('makes a new operator change the one-time password before anything else', async () => {
    const { password } = await root.services.operators.create('new@example.com', { label: 'test' });
    const agent = request.agent(app);
    const form = await agent.get('/operator/sign-in');
    const signIn = await agent.post('/operator/sign-in').type('form').send({ email: 'New@Example.com', password, _csrf: csrfFrom(form.text) });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/operator/password');
    const dashboard = await agent.get('/operator/schedules');
    expect(dashboard.status).toBe(303);
    expect(dashboard.headers.location).toBe('/operator/password');

    const page = await agent.get('/operator/password');
    const tooShort = await agent.post('/operator/password').type('form').send({ current: password, password: 'short', confirm: 'short', _csrf: csrfFrom(page.text) });
    expect(tooShort.status).toBe(400);
    expect(tooShort.text).toContain('at least 12 characters');
    const changed = await agent
      .post('/operator/password')
      .type('form')
      .send({ current: password, password: 'a much longer password', confirm: 'a much longer password', _csrf: csrfFrom(tooShort.text) });
    expect(changed.status).toBe(303);
    expect((await agent.get('/operator/schedules')).status).toBe(200);
    // The one-time password no longer works.
    await expect(root.services.operators.signIn('new@example.com', password)).rejects.toThrow('not right');
  });

  it('says the same thing for an unknown email and a wrong password, and limits attempts', async () => {
    const agent = request.agent(app);
    const attempt = async (email: string) => {
      const form = await agent.get('/operator/sign-in');
      return agent.post('/operator/sign-in').type('form').send({ email, password: 'wrong password!', _csrf: csrfFrom(form.text) });
    };
    const unknown = await attempt('nobody@example.com');
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('The email or password is not right');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt('limited@example.com')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    expect((await attempt('limited@example.com')).text).toContain('Too many sign-in attempts');
  });

  it('signs out: the session cookie stops working', async () => {
    const { agent, csrf } = await signedInAgent(app, 'ops@example.com');
    expect((await agent.get('/operator')).status).toBe(200);
    const token = await csrf();
    const out = await agent.post('/operator/sign-out').type('form').send({ _csrf: token });
    expect(out.status).toBe(303);
    expect((await agent.get('/operator')).status).toBe(303);
  });

  it('records sign-ins, password changes and console actions in the audit log', async () => {
    const entries = await root.services.audit.list({ limit: 200 });
    const actions = entries.map((entry) => `${entry.actor} ${entry.action} ${entry.targetType}:${entry.targetId}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'test operator.create operator:ops@example.com',
        'ops@example.com operator.sign-in operator:ops@example.com',
        'ops@example.com operator.sign-out operator:ops@example.com',
        'new@example.com operator.change-password operator:new@example.com',
        'ops@example.com category.add category:travel',
      ]),
    );
  });
});
