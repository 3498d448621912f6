import type { Express } from 'express';
import request from 'supertest';
import { startWorkers } from '../../src/start/worker';
import { createApp } from '../../src/root';
import { createMailerKey } from '../support/lists-fixtures';
import { csrfFrom } from '../support/operator-session';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { waitFor } from '../support/wait-for';

const LIST = Buffer.from('address1,zip\n1 Main St,12345\n');

describe('portal uploads that are refused show the form again, with the problem at its field', () => {
  let root: TestRoot;
  let app: Express;
  let agent: ReturnType<typeof request.agent>;

  beforeAll(async () => {
    root = await createTestRoot({ LIST_MAX_UPLOAD_BYTES: '4096' });
    app = createApp(root);
    startWorkers(root);
    const apiKey = await createMailerKey(root, 'Form Mailer');
    agent = request.agent(app);
    const signIn = await agent.get('/mailer');
    const res = await agent.post('/mailer/sign-in').type('form').send({ api_key: apiKey, _csrf: csrfFrom(signIn.text) });
    expect(res.status).toBe(303);
  });
  afterAll(async () => {
    await root?.cleanup();
  });

  /** Posts the upload form as a browser does: the token as its first field, the category before the file. */
  async function post(fields: Record<string, string>, file?: { bytes: Buffer; name: string }) {
    const form = await agent.get('/mailer/upload');
    let req = agent.post('/mailer/lists').accept('html');
    for (const [name, value] of Object.entries({ _csrf: csrfFrom(form.text), ...fields })) req = req.field(name, value);
    return file ? req.attach('file', file.bytes, file.name) : req.attach('file', Buffer.alloc(0), '');
  }

  function expectFieldError(text: string, field: string, message: string) {
    expect(text).toContain('<h2 class="usa-alert__heading" id="error-summary-heading">There is a problem</h2>');
    expect(text).toContain(`<a class="usa-link" href="#${field}">${message}`);
    expect(text).toMatch(new RegExp(`<span class="usa-error-message" id="${field}-error">${message}`));
    expect(text).toMatch(new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"[^>]*aria-invalid="true"`));
  }

  it('portal sign-in: a missing or wrong key is shown in the error summary and at the key field', async () => {
    const anonymous = request.agent(app);
    const form = await anonymous.get('/mailer');
    const empty = await anonymous.post('/mailer/sign-in').type('form').send({ api_key: ' ', _csrf: csrfFrom(form.text) });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<title>Error: Sign in');
    expectFieldError(empty.text, 'api_key', 'Enter your API key');
    const wrong = await anonymous.post('/mailer/sign-in').type('form').send({ api_key: `mp_fffffffff0_${'x'.repeat(43)}`, _csrf: csrfFrom(empty.text) });
    expect(wrong.status).toBe(401);
    expectFieldError(wrong.text, 'api_key', 'Unknown API key. Check the key and try again.');
  });

  it('no file chosen: 400, the message at the file input, the category and options kept', async () => {
    const res = await post({ category: 'catalogs', mode: 'flag', dedupe: 'true', map_zip: 'postcode' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Upload a list');
    expectFieldError(res.text, 'file', 'Choose the list file to upload');
    expect(res.text).toContain('<option value="catalogs" selected>');
    expect(res.text).toContain('value="flag" checked');
    expect(res.text).toMatch(/id="dedupe"[^>]*checked/);
    expect(res.text).toContain('name="map_zip" type="text" value="postcode"');
    expect(res.text).not.toContain('http-equiv="refresh"');
  });

  it('an empty file, an unknown, a retired and a missing category, a file over the limit: each with its status', async () => {
    const empty = await post({ category: 'catalogs' }, { bytes: Buffer.alloc(0), name: 'empty.csv' });
    expect(empty.status).toBe(400);
    expectFieldError(empty.text, 'file', 'The file is empty');

    const unknown = await post({ category: 'no-such-thing' }, { bytes: LIST, name: 'list.csv' });
    expect(unknown.status).toBe(404);
    expectFieldError(unknown.text, 'category', 'Unknown category &quot;no-such-thing&quot;: choose one of the categories listed');

    const { rows } = await root.db.query<{ id: number }>(`SELECT id FROM categories WHERE slug = 'political'`);
    await root.services.categories.setActive(rows[0]!.id, false, { label: 'test' });
    const retired = await post({ category: 'political' }, { bytes: LIST, name: 'list.csv' });
    expect(retired.status).toBe(400);
    expectFieldError(retired.text, 'category', 'Category &quot;political&quot; is retired');
    expect(retired.text).not.toContain('value="political"');

    const missing = await post({}, { bytes: LIST, name: 'list.csv' });
    expect(missing.status).toBe(400);
    expectFieldError(missing.text, 'category', 'Choose the category of the mailing');

    const large = await post({ category: 'magazines-subscriptions' }, { bytes: Buffer.alloc(10_000, 'a'), name: 'big.csv' });
    expect(large.status).toBe(413);
    expectFieldError(large.text, 'file', 'The file is larger than the upload limit of 4 KiB');
    expect(large.text).toContain('<option value="magazines-subscriptions" selected>');

    expect((await root.db.query('SELECT count(*)::int AS n FROM list_jobs')).rows[0]!.n).toBe(0);
  });

  it('every problem at once: each in the summary, linked to its field and marked there', async () => {
    const res = await post({ mode: 'sideways', dedupe: 'perhaps' });
    expect(res.status).toBe(400);
    expectFieldError(res.text, 'file', 'Choose the list file to upload');
    expectFieldError(res.text, 'category', 'Choose the category of the mailing');
    expectFieldError(res.text, 'mode-suppress', 'mode must be &quot;suppress&quot; or &quot;flag&quot;, got &quot;sideways&quot;');
    expectFieldError(res.text, 'dedupe', 'dedupe must be true or false, got &quot;perhaps&quot;');
    expect(res.text.match(/<li><a class="usa-link" href="#/g)).toHaveLength(4);
  });

  it('a list without an address column is refused at upload, at the column names, before any job', async () => {
    const res = await post({ category: 'catalogs', map_zip: 'postcode' }, { bytes: Buffer.from('name,phone\nAda,555\n'), name: 'no-address.csv' });
    expect(res.status).toBe(400);
    expectFieldError(res.text, 'map_address1', 'The column mapping names &quot;postcode&quot; for zip, but the list has no such column');
    expect((await root.db.query(`SELECT count(*)::int AS n FROM list_jobs WHERE list_name = 'no-address.csv'`)).rows[0]!.n).toBe(0);
  });

  it('an upload without its CSRF field is refused and nothing is stored', async () => {
    const res = await agent.post('/mailer/lists').accept('html').field('category', 'catalogs').attach('file', LIST, 'forged.csv');
    expect(res.status).toBe(403);
    expect((await root.db.query(`SELECT count(*)::int AS n FROM list_jobs WHERE list_name = 'forged.csv'`)).rows[0]!.n).toBe(0);
  });

  it("a list the job refuses shows the job's reason, shortened in the lists table and whole on its page", async () => {
    const res = await post({ category: 'catalogs' }, { bytes: Buffer.from('address1,city,state,zip\r\n'), name: 'header-only.csv' });
    expect(res.status).toBe(303);
    const page = res.headers.location as string;
    const preview = await agent.get(page);
    expect(preview.text).toContain('Check the columns of header-only.csv');
    const start = await agent.post(`${page}/start`).type('form').send({ _csrf: csrfFrom(preview.text) });
    expect([start.status, start.headers.location]).toEqual([303, page]);
    const failed = await waitFor(async () => {
      const text = (await agent.get(page)).text;
      return text.includes('could not be cleansed') ? text : undefined;
    }, 30_000, 'the failed job');
    expect(failed).toContain('<p class="usa-alert__text">The list has a header row but no data rows</p>');
    expect(failed).toContain('href="/mailer/upload?category=catalogs"');
    expect(failed).not.toContain('http-equiv="refresh"');
    const lists = (await agent.get('/mailer')).text;
    expect(lists).toContain('<span class="mp-outcome-failed">Failed:</span> The list has a header row but no data rows');
    expect(lists).not.toContain('http-equiv="refresh"');
  });
});
