import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/root';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createOperator, csrfFrom, signedInAgent } from '../support/operator-session';
import { recordChoice } from '../support/preferences';

describe('categories in the operator console', () => {
  let root: TestRoot;
  let app: Express;

  beforeAll(async () => {
    root = await createTestRoot();
    app = createApp(root);
    await createOperator(root, 'ops@example.com');
  });
  afterAll(() => root.cleanup());

  it('adds, renames, retires and restores a category; retiring keeps its history', async () => {
    const { agent, csrf } = await signedInAgent(app, 'ops@example.com');
    let token = await csrf('/operator/categories');
    const added = await agent.post('/operator/categories').type('form').send({ slug: 'travel-offers', name: 'Travel offers', description: 'Cruises and tours', _csrf: token });
    expect(added.status).toBe(303);
    const id = (await root.services.categories.listAll()).find((category) => category.slug === 'travel-offers')!.id;
    await recordChoice(root.db, { address1: '1 Main St', zip: '12345' }, 'travel-offers', false);

    token = await csrf('/operator/categories');
    const bad = await agent.post('/operator/categories').type('form').send({ slug: 'Travel Offers!', name: 'x', _csrf: token });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('lowercase letters');
    const taken = await agent.post('/operator/categories').type('form').send({ slug: 'travel-offers', name: 'again', _csrf: csrfFrom(bad.text) });
    expect(taken.status).toBe(409);

    token = await csrf('/operator/categories');
    expect((await agent.post(`/operator/categories/${id}/rename`).type('form').send({ name: 'Travel and holiday offers', description: 'Cruises', _csrf: token })).status).toBe(303);
    expect((await request(app).get('/categories')).text).toContain('Travel and holiday offers');

    token = await csrf('/operator/categories');
    expect((await agent.post(`/operator/categories/${id}/retire`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await request(app).get('/categories')).text).not.toContain('Travel and holiday offers');
    const { rows } = await root.db.query<{ n: number }>('SELECT count(*) AS n FROM preference_events WHERE category_id = $1::int', [id]);
    expect(rows[0]!.n).toBe(1);
    expect((await agent.get('/operator/categories')).text).toContain('retired');

    token = await csrf('/operator/categories');
    expect((await agent.post(`/operator/categories/${id}/restore`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await request(app).get('/categories')).text).toContain('Travel and holiday offers');

    const audit = (await root.services.audit.list({ limit: 10 })).map((entry) => `${entry.action} ${entry.targetId}`);
    expect(audit.slice(0, 4)).toEqual(['category.restore travel-offers', 'category.retire travel-offers', 'category.rename travel-offers', 'category.add travel-offers']);
    const page = await agent.get('/operator/audit?action=category.rename');
    const rowsShown = page.text.slice(page.text.indexOf('<tbody>'), page.text.indexOf('</tbody>'));
    expect(rowsShown).toContain('Travel and holiday offers');
    expect(rowsShown).not.toContain('category.add');
  });
});
