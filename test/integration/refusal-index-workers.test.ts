import type { ChildProcess } from 'node:child_process';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/root';
import { cleanseWhole, prepareList } from '../../src/lists/cleanse';
import { loadRefusedSet } from '../support/whole-refused-set';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { spawnWorkerProcess } from '../support/worker-process';
import { memorySource } from '../support/memory-list';
import { createMailerKey, download, generatedList, householdAddress, refuse, upload, waitForList } from '../support/lists-fixtures';

jest.setTimeout(120_000);

const SETTINGS = { JOB_LOCK_MS: '5000', LIST_CHUNK_BYTES: String(64 * 1024) };

describe('two worker processes on the refusal index', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    root = await createTestRoot(SETTINGS);
    app = createApp(root);
    key = await createMailerKey(root, 'Two Machines');
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await root?.cleanup();
  });

  const jobOf = async (id: string) => (await request(app).get(`/api/v1/lists/${id}`).set('Authorization', `Bearer ${key}`)).body as Record<string, any>;

  it('see the same choices: the chunks they share give the single pass’s output as of the job’s snapshot, not the choices recorded while it ran', async () => {
    const list = generatedList(24_000, 3000, 22);
    await refuse(root, 'catalogs', Array.from({ length: 300 }, (_, i) => householdAddress(i * 10 + 1)));
    // Two `mailpref worker` processes, each its own process group: two machines' worth of workers.
    for (let i = 0; i < 2; i++) children.push(spawnWorkerProcess(root, SETTINGS));
    const res = await upload(app, key, list.bytes, { category: 'catalogs' });
    expect(res.status).toBe(202);
    // Once the job has its snapshot, while it runs, more households refuse (5, 25, 45 …): for the next job.
    for (let seen = await jobOf(res.body.id); !seen.snapshotAt; seen = await jobOf(res.body.id)) await new Promise((resolve) => setTimeout(resolve, 20));
    await refuse(root, 'catalogs', Array.from({ length: 150 }, (_, i) => householdAddress(i * 20 + 5)));
    const done = await waitForList(app, key, res.body.id, 90_000);
    expect(done.status).toBe('completed');
    expect(done.counts.rowsIn).toBe(24_000);

    const catalogs = (await root.services.categories.requireActive('catalogs')).id;
    const single = async (at: Date) => {
      const source = memorySource(list.bytes, 1 << 16);
      const refused = await loadRefusedSet(new RefusedKeysStore(root.db), catalogs, at);
      const cleansed: Buffer[] = [];
      const discards: Buffer[] = [];
      const outcome = await cleanseWhole(source, await prepareList(source, {}), { mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {} }, { refused }, async (kind, stream) => {
        for await (const chunk of stream) (kind === 'cleansed' ? cleansed : discards).push(chunk as Buffer);
      });
      return { cleansed: Buffer.concat(cleansed), discards: Buffer.concat(discards), optedOut: outcome.counts.discarded.OPTED_OUT };
    };
    const atSnapshot = await single(new Date(done.snapshotAt));
    const now = await single(new Date());
    const summary = JSON.parse(((await download(app, key, res.body.id, 'summary')).body as Buffer).toString());
    expect(summary.chunks).toBeGreaterThan(10);
    expect(done.counts.discardedByReason.OPTED_OUT).toBe(atSnapshot.optedOut);
    expect(((await download(app, key, res.body.id, 'cleansed')).body as Buffer).equals(atSnapshot.cleansed)).toBe(true);
    expect(((await download(app, key, res.body.id, 'discards')).body as Buffer).equals(atSnapshot.discards)).toBe(true);
    // The refusals recorded while it ran were after its snapshot (the upload took it first) …
    expect(now.optedOut).toBeGreaterThan(atSnapshot.optedOut);
  });
});
