import type { Express } from 'express';
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
});
