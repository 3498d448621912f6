import fs from 'node:fs';
import type { Express } from 'express';
import request from 'supertest';
import { createApp, createRoot, type Root } from '../../src/root';
import { householdWithCode } from '../support/choices-fixtures';
import { capturedLogger, type LogLine } from '../support/log-lines';
import { createOperator, signedInAgent } from '../support/operator-session';
import { createTestDatabase, testConfig } from '../support/test-root';

/**
 * Code entry from many addresses, each under its own limits (a botnet): the failed entries of all
 * of them together have a budget (FORM_FAILED_ATTEMPTS_GLOBAL, 3 here); past it the operators are
 * alerted by one error-level log line and a banner on the console's dashboard, but nobody is
 * refused (an attacker must not be able to lock every household out); each address keeps its own
 * limit. A failed pair gets one message whether its code is live or not.
 */
describe('failed code entries from all addresses together', () => {
  let root: Root;
  let drop: () => Promise<void>;
  let app: Express;
  let lines: LogLine[];

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const captured = capturedLogger();
    lines = captured.lines;
    root = await createRoot(testConfig({ DATABASE_URL: database.url, TRUST_PROXY: 'true', FORM_ATTEMPTS_PER_IP: '100', FORM_FAILED_ATTEMPTS_GLOBAL: '3' }), { logger: captured.logger, migrate: false });
    app = createApp(root);
    await createOperator(root, 'alerts@example.com');
  });
  afterAll(async () => {
    await root.stop();
    await drop();
    fs.rmSync(root.config.dataDir, { recursive: true, force: true });
  });

  /** A code entry from its own address (a fresh form, its own cookies). */
  async function enter(ip: string, code: string, zip: string) {
    const agent = request.agent(app);
    const form = await agent.get('/code').set('X-Forwarded-For', ip);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    return agent.post('/code').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrf, code, zip });
  }
  const errorOf = (page: string) => /id="code-error"[^>]*>([\s\S]*?)<\/span>/.exec(page)?.[1];

  it('answers a live code with the wrong ZIP as it answers an unknown code; past the budget it alerts the operators once and refuses nobody', async () => {
    const household = await householdWithCode(root, { address1: '9 Budget Rd', zip: '02134' });
    const live = await enter('198.51.100.1', household.code, '02135');
    const unknown = await enter('198.51.100.2', 'ZZZZZ-ZZZZZ', '02134');
    expect([live.status, unknown.status]).toEqual([422, 422]);
    expect(errorOf(live.text)).toContain('The code and ZIP code do not match a card we mailed');
    expect(errorOf(live.text)).toBe(errorOf(unknown.text));

    const { agent } = await signedInAgent(app, 'alerts@example.com');
    expect((await agent.get('/operator')).text).not.toContain('Postcard codes may be being guessed');
    expect((await enter('198.51.100.3', 'YYYYY-YYYYY', '02134')).status).toBe(422);
    expect(lines.filter((line) => line.alert === 'code-guesses')).toHaveLength(0);

    // The budget is spent: the next guesses, from yet other addresses, are answered as before …
    const past = await enter('198.51.100.4', 'XXXXX-XXXXX', '02134');
    expect(past.status).toBe(422);
    expect(errorOf(past.text)).toBe(errorOf(unknown.text));
    expect((await enter('198.51.100.6', 'WWWWW-WWWWW', '02134')).status).toBe(422);
    // … and the household with its right code gets in.
    expect((await enter('198.51.100.5', household.code, '02134')).status).toBe(303);

    // One alert line however many entries pass the budget in the window.
    const alerts = lines.filter((line) => line.alert === 'code-guesses');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 50, limit: 3, windowMinutes: 15 });
    expect(alerts[0]!.msg).toMatch(/^operator alert: more than 3 failed postcard-code entries in 15 minutes/);

    const dashboard = await agent.get('/operator');
    expect(dashboard.text).toContain('Postcard codes may be being guessed');
    expect(dashboard.text).toContain('more than 3 failed code entries came in within 15 minutes');
  });

  it('keeps the per-address limit: one address past FORM_ATTEMPTS_PER_IP is refused while others are not', async () => {
    const limited = await createRoot(testConfig({ DATABASE_URL: root.config.databaseUrl!, TRUST_PROXY: 'true', FORM_ATTEMPTS_PER_IP: '2', FORM_FAILED_ATTEMPTS_GLOBAL: '1' }), { logger: capturedLogger().logger, migrate: false });
    try {
      const limitedApp = createApp(limited);
      const post = async (ip: string) => {
        const agent = request.agent(limitedApp);
        const form = await agent.get('/code').set('X-Forwarded-For', ip);
        const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
        return (await agent.post('/code').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrf, code: 'ZZZZZ-ZZZZZ', zip: '02134' })).status;
      };
      expect([await post('203.0.113.9'), await post('203.0.113.9'), await post('203.0.113.9'), await post('203.0.113.10')]).toEqual([422, 422, 429, 422]);
    } finally {
      await limited.stop();
      fs.rmSync(limited.config.dataDir, { recursive: true, force: true });
    }
  });
});
