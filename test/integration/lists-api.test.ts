import type { Express } from 'express';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { startWorkers } from '../../src/start/worker';
import { createApp } from '../../src/root';
import { ListsStore } from '../../src/lists/lists-store';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createMailerKey, download, generatedList, householdAddress, refuse, upload, waitForList } from '../support/lists-fixtures';

describe('bulk mailer API with a real worker', () => {
  let root: TestRoot;
  let app: Express;
  let acme: string;
  let other: string;

  beforeAll(async () => {
    root = await createTestRoot({ LIST_MAX_UPLOAD_BYTES: String(256 * 1024) });
    app = createApp(root);
    startWorkers(root);
    acme = await createMailerKey(root, 'Acme Catalogs');
    other = await createMailerKey(root, 'Other Mailer');
  });
  afterAll(async () => {
    await root?.cleanup();
  });

  it('cleanses a generated list to exactly the rows whose households did not refuse the category', async () => {
    const list = generatedList(1200, 400);
    const refusedHouseholds = new Set(Array.from({ length: 400 }, (_, i) => i + 1).filter((n) => n % 4 === 0));
    await refuse(root, 'catalogs', [...refusedHouseholds].map(householdAddress));
    // refusals of another category must not matter
    await refuse(root, 'political', [1, 2, 3, 5, 6, 7].map(householdAddress));

    const res = await upload(app, acme, list.bytes, { category: 'catalogs' }, 'spring-mailing.csv');
    expect(res.status).toBe(202);
    expect(res.body.links.cleansed).toBe(`/api/v1/lists/${res.body.id}/cleansed`);
    const done = await waitForList(app, acme, res.body.id);
    expect(done.status).toBe('completed');

    const expectedKept = list.lines.filter((_, i) => !refusedHouseholds.has(list.numbers[i]!));
    const cleansed = (await download(app, acme, res.body.id, 'cleansed')).body as Buffer;
    expect(cleansed.toString()).toBe([list.header, ...expectedKept].join('\r\n') + '\r\n');

    const discards = parse((await download(app, acme, res.body.id, 'discards')).body as Buffer, { columns: true }) as Record<string, string>[];
    expect(discards.length).toBe(1200 - expectedKept.length);
    expect(new Set(discards.map((row) => row.reason))).toEqual(new Set(['OPTED_OUT']));
    expect(discards[0]!.choice_date).toMatch(/^\d{4}-\d\d-\d\d$/);

    const summary = (await request(app).get(`/api/v1/lists/${res.body.id}/summary`).set('Authorization', `Bearer ${acme}`)).body;
    expect(summary).toMatchObject({
      listName: 'spring-mailing.csv',
      mailer: 'Acme Catalogs',
      category: { slug: 'catalogs' },
      rows: { in: 1200, kept: expectedKept.length, discarded: 1200 - expectedKept.length },
      accounting: `1200 rows in = ${expectedKept.length} kept + ${1200 - expectedKept.length} discarded`,
    });
    // keys in reading order, not in jsonb's storage order
    expect(Object.keys(summary).slice(0, 3)).toEqual(['listName', 'mailer', 'category']);
    expect(Object.keys(summary.rows.discardedByReason)).toEqual(['OPTED_OUT', 'ADDRESS_UNREADABLE', 'DUPLICATE', 'MALFORMED_ROW']);
    expect(summary.input.sha256).toBe(require('node:crypto').createHash('sha256').update(list.bytes).digest('hex'));
    expect(summary.output.cleansedSha256).toBe(require('node:crypto').createHash('sha256').update(cleansed).digest('hex'));
    expect(new Date(summary.validUntil).getTime() - new Date(summary.snapshotAt).getTime()).toBe(31 * 86_400_000);

    const report = await request(app).get(`/api/v1/lists/${res.body.id}/report`).set('Authorization', `Bearer ${acme}`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('<svg');
    expect(report.text).toContain(`1200 rows in = ${expectedKept.length} kept`);
  });

  it('applies a choice recorded after the snapshot only to the next run, even when the job is retried', async () => {
    const bytes = Buffer.from('address1,zip\r\n12 Snapshot Rd,78701\r\n13 Snapshot Rd,78701\r\n');
    const queue = root.queues.queue('cleanse-list');
    await queue.pause();
    const first = await upload(app, acme, bytes);
    // An earlier attempt of this job started (and took its snapshot), then its worker died.
    await new ListsStore(root.db).markRunning(first.body.id);
    await refuse(root, 'catalogs', [{ address1: '12 Snapshot Road', zip: '78701' }]);
    await queue.resume();
    const firstDone = await waitForList(app, acme, first.body.id);
    expect(firstDone.counts).toMatchObject({ rowsIn: 2, kept: 2 });

    const second = await upload(app, acme, bytes);
    const secondDone = await waitForList(app, acme, second.body.id);
    expect(secondDone.counts).toMatchObject({ rowsIn: 2, kept: 1, discardedByReason: { OPTED_OUT: 1 } });
    expect(new Date(secondDone.snapshotAt).getTime()).toBeGreaterThan(new Date(firstDone.snapshotAt).getTime());
  });

  it('shows a retried job\'s progress from where its earlier attempt got to, never going back', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause();
    try {
      const id = (await upload(app, acme, Buffer.from('address1,zip\r\n1 Retry Rd,78701\r\n2 Retry Rd,78701\r\n3 Retry Rd,78701\r\n'))).body.id as string;
      const store = new ListsStore(root.db);
      const rows = async () => (await request(app).get(`/api/v1/lists/${id}`).set('Authorization', `Bearer ${acme}`)).body.progress.rowsProcessed;
      await store.markRunning(id);
      await store.setProgress(id, 2, 40);
      await store.markRunning(id); // the worker died; another one starts the job again from its first row
      expect(await rows()).toBe(2);
      await store.setProgress(id, 1, 20);
      expect(await rows()).toBe(2);
      await store.setProgress(id, 3, 60);
      expect(await rows()).toBe(3);
    } finally {
      await queue.resume();
    }
  });

  it('never shows one mailer another mailer\'s list', async () => {
    const mine = await upload(app, acme, Buffer.from('address1,zip\n1 Private Ln,78701\n'));
    await waitForList(app, acme, mine.body.id);
    for (const path of ['', '/cleansed', '/discards', '/summary', '/report']) {
      const res = await request(app).get(`/api/v1/lists/${mine.body.id}${path}`).set('Authorization', `Bearer ${other}`);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'LIST_NOT_FOUND']);
    }
    expect((await request(app).delete(`/api/v1/lists/${mine.body.id}`).set('Authorization', `Bearer ${other}`)).status).toBe(404);
    const theirs = await request(app).get('/api/v1/lists').set('Authorization', `Bearer ${other}`);
    expect(theirs.body.lists.map((list: { id: string }) => list.id)).not.toContain(mine.body.id);
    const ours = await request(app).get('/api/v1/lists').set('Authorization', `Bearer ${acme}`);
    expect(ours.body.lists.map((list: { id: string }) => list.id)).toContain(mine.body.id);
  });

  it('answers 401 with a JSON error for a missing, unknown or revoked key', async () => {
    expect((await request(app).get('/api/v1/lists')).body.error.code).toBe('MISSING_API_KEY');
    const unknown = await request(app).get('/api/v1/lists').set('Authorization', 'Bearer mp_0123456789_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'INVALID_API_KEY']);
    const { apiKey, prefix } = await root.services.mailers.createMailer('Short Lived');
    expect((await request(app).get('/api/v1/lists').set('Authorization', `Bearer ${apiKey}`)).status).toBe(200);
    await root.services.mailers.revokeKey(prefix);
    const revoked = await request(app).get('/api/v1/lists').set('Authorization', `Bearer ${apiKey}`);
    expect([revoked.status, revoked.body.error.code]).toEqual([401, 'REVOKED_API_KEY']);
  });

  it('deletes the files on DELETE and keeps the summary', async () => {
    const res = await upload(app, acme, Buffer.from('address1,zip\n5 Gone Way,78701\n'));
    await waitForList(app, acme, res.body.id);
    const deleted = await request(app).delete(`/api/v1/lists/${res.body.id}`).set('Authorization', `Bearer ${acme}`);
    expect([deleted.status, deleted.body.filesDeleted]).toEqual([200, true]);
    expect((await download(app, acme, res.body.id, 'cleansed')).status).toBe(404);
    expect(await root.files.exists(`lists/${res.body.id}/upload`)).toBe(false);
    expect((await request(app).get(`/api/v1/lists/${res.body.id}/summary`).set('Authorization', `Bearer ${acme}`)).body.rows.in).toBe(1);
  });

  it('an operator\'s scheduled or run-now cleanse-list job re-queues lists whose queue entry was lost', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause();
    const res = await upload(app, acme, Buffer.from('address1,zip\n7 Lost Queue Rd,78701\n'));
    await (await queue.getJob(res.body.id))!.remove(); // as if Redis had lost it
    await queue.add('cleanse queued lists', { scheduleId: 1 });
    await queue.resume();
    const done = await waitForList(app, acme, res.body.id);
    expect(done.status).toBe('completed');
  });

  it('serves its OpenAPI document', async () => {
    const res = await request(app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/lists', '/lists/{id}', '/lists/{id}/cleansed', '/lists/{id}/discards', '/lists/{id}/summary', '/lists/{id}/report']));
  });
});
