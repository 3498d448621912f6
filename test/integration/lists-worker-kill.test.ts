import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { startWorkers } from '../../src/start/worker';
import { createApp } from '../../src/root';
import { KeyHashTable } from '../../src/lists/cleanse';
import { cleanseWhole, prepareList } from '../../src/lists/cleanse';
import { loadRefusedSet } from '../support/whole-refused-set';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { spawnWorkerProcess } from '../support/worker-process';
import { memorySource } from '../support/memory-list';
import { createMailerKey, download, generatedList, householdAddress, refuse, upload, waitForList } from '../support/lists-fixtures';

jest.setTimeout(240_000);

describe('a worker killed in the middle of a cleanse', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    root = await createTestRoot({ JOB_LOCK_MS: '1000', LIST_CHUNK_BYTES: String(1024 ** 3) });
    app = createApp(root);
    key = await createMailerKey(root, 'Unlucky Mailer');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await root?.cleanup();
  });

  it('is retried by another worker, completes, and never serves a partial file', async () => {
    const list = generatedList(120_000, 5000, 11);
    await refuse(root, 'catalogs', Array.from({ length: 250 }, (_, i) => householdAddress(i * 20 + 1)));
    const res = await upload(app, key, list.bytes, { category: 'catalogs' });
    expect(res.status).toBe(202);

    // A separate `mailpref worker` process picks the job up ...
    child = spawnWorkerProcess(root, { JOB_LOCK_MS: '1000', LIST_CHUNK_BYTES: String(1024 ** 3) });
    const childExit = new Promise((resolve) => child!.once('exit', resolve));
    // ... and is killed (no chance to clean up) once it has processed some rows.
    const deadline = Date.now() + 60_000;
    let seen: Record<string, any> = {};
    while (Date.now() < deadline) {
      seen = (await request(app).get(`/api/v1/lists/${res.body.id}`).set('Authorization', `Bearer ${key}`)).body;
      if (seen.status === 'running' && seen.progress.rowsProcessed > 0) break;
      expect(seen.status).not.toBe('completed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen.status).toBe('running');
    child.kill('SIGKILL');
    await childExit;
    expect(seen.progress.rowsProcessed).toBeLessThan(120_000);

    // Nothing partial is visible: not through the API, not under the output's key.
    expect((await download(app, key, res.body.id, 'cleansed')).status).toBe(409);
    expect(await root.files.exists(`lists/${res.body.id}/cleansed`)).toBe(false);

    // Another worker takes the stalled job over once its lock has expired.
    startWorkers(root);
    const done = await waitForList(app, key, res.body.id, 90_000);
    expect(done.status).toBe('completed');
    expect(done.attempts).toBe(2);
    expect(done.counts.rowsIn).toBe(120_000);

    const cleansed = (await download(app, key, res.body.id, 'cleansed')).body as Buffer;
    const source = memorySource(list.bytes, 1 << 20);
    const refused = await loadRefusedSet(new RefusedKeysStore(root.db), (await root.services.categories.requireActive('catalogs')).id, new Date(done.snapshotAt));
    let expected = createHash('sha256');
    await cleanseWhole(source, await prepareList(source, {}), { mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {} }, { refused, seen: undefined as KeyHashTable | undefined }, async (kind, stream) => {
      for await (const chunk of stream) if (kind === 'cleansed') expected = expected.update(chunk as Buffer);
    });
    expect(createHash('sha256').update(cleansed).digest('hex')).toBe(expected.digest('hex'));
    expect(done.counts.discardedByReason.OPTED_OUT).toBeGreaterThan(0);
  });
});
