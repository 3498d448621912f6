import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/root';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createOperator, csrfFrom, signedInAgent } from '../support/operator-session';

/** The links of the error summary (href → text) and the fields marked invalid on a page. */
function problemsOn(page: string): { summary: Record<string, string>; invalid: string[]; atField: string[] } {
  const box = /<div class="usa-alert usa-alert--error[^]*?<\/ul>/.exec(page)?.[0] ?? '';
  const summary = Object.fromEntries([...box.matchAll(/<a class="usa-link" href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1]!, m[2]!]));
  const invalid = [...page.matchAll(/id="([^"]+)"[^>]*aria-invalid="true"/g)].map((m) => m[1]!);
  const atField = [...page.matchAll(/<span class="usa-error-message" id="([^"]+)-error">/g)].map((m) => m[1]!);
  return { summary, invalid, atField };
}

describe('console forms: every problem at once, at its field; no token in a URL', () => {
  let root: TestRoot;
  let app: Express;

  beforeAll(async () => {
    root = await createTestRoot();
    app = createApp(root);
    await createOperator(root, 'forms@example.com');
  });
  afterAll(() => root.cleanup());

  it('shows every problem of the schedule form in the summary, each linked to and shown at its field', async () => {
    const { agent, csrf } = await signedInAgent(app, 'forms@example.com');
    const token = await csrf('/operator/schedules/new');
    const page = await agent
      .post('/operator/schedules')
      .type('form')
      .send({ name: 'Bad Name', kind: 'statistics', pattern: '61 * *', tz: 'Mars/Olympus', data: '[1]', intent: 'save', _csrf: token });
    expect(page.status).toBe(400);
    const { summary, invalid, atField } = problemsOn(page.text);
    expect(Object.keys(summary)).toEqual(['name', 'tz', 'pattern', 'data']);
    expect(summary.tz).toContain('not a time zone');
    expect(summary.pattern).toContain('has 3 fields');
    expect(invalid.sort()).toEqual(['data', 'name', 'pattern', 'tz']);
    expect(atField.sort()).toEqual(['data', 'name', 'pattern', 'tz']);
    expect(page.text).toContain('<title>Error: New schedule');

    // The preview reports a wrong time zone and a wrong pattern together too.
    const preview = await agent.post('/operator/schedules').type('form').send({ name: 'ok', kind: 'statistics', pattern: '61 * * * *', tz: 'Nowhere', intent: 'preview', _csrf: csrfFrom(page.text) });
    expect(Object.keys(problemsOn(preview.text).summary)).toEqual(['tz', 'pattern']);
  });

  it('puts the upload forms\' CSRF token in a field ahead of the file, never in the URL, and shows a refused upload at its field', async () => {
    const { agent, csrf } = await signedInAgent(app, 'forms@example.com');
    for (const path of ['/operator/imports', '/operator/postcards']) {
      const page = (await agent.get(path)).text;
      expect(page).not.toContain('_csrf=');
      expect(page).toMatch(/enctype="multipart\/form-data" action="\/operator\/[a-z/]+" novalidate>\s*<input type="hidden" name="_csrf"/);
    }
    const token = await csrf('/operator/imports');

    const empty = await agent.post('/operator/imports/moves').field('_csrf', token).attach('file', Buffer.alloc(0), 'moves.csv');
    expect(empty.status).toBe(400);
    const { summary, invalid, atField } = problemsOn(empty.text);
    expect(Object.keys(summary)).toEqual(['moves-file']);
    expect(invalid).toEqual(['moves-file']);
    expect(atField).toEqual(['moves-file']);

    const noFile = await agent.post('/operator/postcards').field('_csrf', token);
    expect(noFile.status).toBe(400);
    expect(problemsOn(noFile.text).summary).toEqual({ 'addresses-file': 'Choose a file to upload' });

    // Without the field, or with the token only in the query string, nothing is stored.
    const runsBefore = (await root.services.operatorJobs.runsOf('import-returned-cards')).length;
    const withoutField = await agent.post('/operator/imports/cards').attach('file', Buffer.from('code,catalogs\nABCD,ticked\n'), 'cards.csv');
    expect(withoutField.status).toBe(403);
    const inQuery = await agent.post(`/operator/imports/cards?_csrf=${encodeURIComponent(token)}`).attach('file', Buffer.from('code,catalogs\nABCD,ticked\n'), 'cards.csv');
    expect(inQuery.status).toBe(403);
    expect((await root.services.operatorJobs.runsOf('import-returned-cards')).length).toBe(runsBefore);

    const accepted = await agent.post('/operator/imports/cards').field('_csrf', token).attach('file', Buffer.from('code,catalogs\nABCD,ticked\n'), 'cards.csv');
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe('/operator/imports?notice=import-queued');
  });

  it('shows every problem of the sign-in and password forms at once, each at its field', async () => {
    const agent = request.agent(app);
    const form = await agent.get('/operator/sign-in');
    const empty = await agent.post('/operator/sign-in').type('form').send({ email: ' ', password: '', _csrf: csrfFrom(form.text) });
    expect(empty.status).toBe(400);
    expect(problemsOn(empty.text)).toEqual({
      summary: { email: 'Enter your email address', password: 'Enter your password' },
      invalid: ['email', 'password'],
      atField: ['email', 'password'],
    });
    expect(empty.text).toContain('<title>Error: Sign in');
    const wrong = await agent.post('/operator/sign-in').type('form').send({ email: 'forms@example.com', password: 'not the password', _csrf: csrfFrom(empty.text) });
    expect(wrong.status).toBe(401);
    expect(problemsOn(wrong.text).summary).toEqual({ email: 'The email or password is not right' });
    expect(wrong.text).toContain('value="forms@example.com"');

    const { agent: signedIn, csrf } = await signedInAgent(app, 'forms@example.com');
    const passwordToken = await csrf('/operator/password');
    const refused = await signedIn.post('/operator/password').type('form').send({ current: 'wrong one', password: 'short', confirm: 'other', _csrf: passwordToken });
    expect(refused.status).toBe(400);
    expect(problemsOn(refused.text)).toEqual({
      summary: {
        current: 'The current password is not right',
        password: 'The new password must have at least 12 characters',
        confirm: 'The two new passwords are not the same',
      },
      invalid: ['current', 'password', 'confirm'],
      atField: ['current', 'password', 'confirm'],
    });
    // The hint and the error both describe the new password's field.
    expect(refused.text).toMatch(/id="password"[^>]*aria-describedby="password-hint password-error"/);
  });

  it('shows every problem of the mailer and category forms at once, each at its field', async () => {
    const { agent, csrf } = await signedInAgent(app, 'forms@example.com');
    const mailersToken = await csrf('/operator/mailers');
    const noName = await agent.post('/operator/mailers').type('form').send({ name: '  ', _csrf: mailersToken });
    expect(noName.status).toBe(400);
    expect(problemsOn(noName.text)).toEqual({ summary: { 'mailer-name': 'A mailer needs a name' }, invalid: ['mailer-name'], atField: ['mailer-name'] });
    await root.services.mailersConsole.create('Taken Name', { label: 'test' });
    const taken = await agent.post('/operator/mailers').type('form').send({ name: 'Taken Name', _csrf: csrfFrom(noName.text) });
    expect(taken.status).toBe(409);
    expect(problemsOn(taken.text).invalid).toEqual(['mailer-name']);
    expect(taken.text).toMatch(/id="mailer-name"[^>]*value="Taken Name"/);

    const categoriesToken = await csrf('/operator/categories');
    const category = await agent.post('/operator/categories').type('form').send({ slug: 'Not A Slug!', name: '', _csrf: categoriesToken });
    expect(category.status).toBe(400);
    expect(problemsOn(category.text)).toEqual({
      summary: { 'new-slug': 'The short name must be lowercase letters, digits and single hyphens, e.g. travel-offers', 'new-name': 'The name is required' },
      invalid: ['new-slug', 'new-name'],
      atField: ['new-slug', 'new-name'],
    });
    const [first] = await root.services.categories.listAll();
    const editToken = await csrf(`/operator/categories/${first!.id}`);
    const rename = await agent.post(`/operator/categories/${first!.id}/rename`).type('form').send({ name: '', description: 'kept', _csrf: editToken });
    expect(rename.status).toBe(400);
    expect(problemsOn(rename.text).summary).toEqual({ name: 'The name is required' });
  });
});
