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
import { duplicatesList } from '../support/duplicates-list';
import { createMailerKey, download, householdAddress, refuse, upload, waitForList } from '../support/lists-fixtures';
import { memorySource } from '../support/memory-list';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { spawnWorkerProcess } from '../support/worker-process';

jest.setTimeout(240_000);

const ROWS = 120_000;
const CHUNK_BYTES = String(1024 ** 2);
// The killed workers' locks expire fast, so that their jobs are taken over soon; this process's
// workers, which finish the list, hold longer ones, so that a busy machine does not make one of
// their jobs look stalled (a job killed once may stall only once more: then BullMQ fails it).
const CHILD_LOCK_MS = '2000';

describe('workers killed in the middle of a de-duplicated list cleansed in chunks', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    root = await createTestRoot({ JOB_LOCK_MS: '5000', LIST_CHUNK_BYTES: CHUNK_BYTES });
    app = createApp(root);
    key = await createMailerKey(root, 'Unlucky Twice Mailer');
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await root?.cleanup();
  });

  /** A separate `mailpref worker` process, one job at a time. */
  function spawnWorker(): { child: ChildProcess; exited: Promise<unknown> } {
    const child = spawnWorkerProcess(root, { JOB_LOCK_MS: CHILD_LOCK_MS, LIST_CHUNK_BYTES: CHUNK_BYTES });
    children.push(child);
    return { child, exited: new Promise((resolve) => child.once('exit', resolve)) };
  }

  it('a killed keys job and a killed chunk job are retried; the output is the one pass’s, and the progress never goes back', async () => {
    const list = duplicatesList(ROWS, 20_000, 11);
    await refuse(root, 'catalogs', Array.from({ length: 250 }, (_, i) => householdAddress(i * 20 + 1)));
    const res = await upload(app, key, list, { category: 'catalogs', dedupe: 'true' });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    const queue = root.queues.queue('cleanse-list');

    // The API's rows processed, read all along: it must never go back.
    const seenRows: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const view = (await request(app).get(`/api/v1/lists/${id}`).set('Authorization', `Bearer ${key}`)).body;
        seenRows.push(view.progress.rowsProcessed);
        if (view.status === 'completed' || view.status === 'failed') return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    /**
     * Starts a worker and kills it once one of the list's jobs of this name (not among the last
     * chunks, so that the pass is not over by then) is active and has reported some progress to
     * the list; returns the job that was running then (it stays active until found stalled).
     */
    const killDuring = async (name: 'keys' | 'chunk'): Promise<string> => {
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const worker = spawnWorker();
        while (Date.now() < deadline) {
          const busy = (await queue.getActive()).find((job) => job.name === name && job.data.listId === id && job.data.chunk!.index < 4 && (job.progress as { rows?: number }).rows! > 0);
          if (busy && seenRows.at(-1)! > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        worker.child.kill('SIGKILL');
        await worker.exited;
        const killed = (await queue.getActive()).find((job) => job.data.listId === id);
        if (killed) {
          expect(killed.name).toBe(name);
          return killed.id!;
        }
        // the kill fell between two jobs: once more
      }
      throw new Error(`no ${name} job of the list was killed while active`);
    };
    const killedKeys = await killDuring('keys'); // the key pass moves the list's progress
    const killedChunk = await killDuring('chunk');

    // Nothing partial is visible: not through the API, not under the output's key.
    expect((await download(app, key, id, 'cleansed')).status).toBe(409);
    expect(await root.files.exists(`lists/${id}/cleansed`)).toBe(false);

    // Workers of this process take the stalled job over once its lock has expired.
    startWorkers(root);
    const done = await waitForList(app, key, id, 120_000);
    watching = false;
    await watcher;
    // The watcher may have stopped between two polls, before it saw the list completed: once more.
    seenRows.push((await request(app).get(`/api/v1/lists/${id}`).set('Authorization', `Bearer ${key}`)).body.progress.rowsProcessed);
    expect(done.status).toBe('completed');
    for (const killed of [killedKeys, killedChunk]) expect((await queue.getJob(killed))!.attemptsStarted).toBeGreaterThanOrEqual(2);

    expect(seenRows.length).toBeGreaterThan(10);
    for (let i = 1; i < seenRows.length; i++) expect(seenRows[i]).toBeGreaterThanOrEqual(seenRows[i - 1]!);
    // every chunk reports its last figures, and retried ones only what their first attempt had not
    expect(Math.max(...seenRows.slice(0, -1))).toBeLessThanOrEqual(done.counts.rowsIn);
    expect(seenRows.at(-1)).toBe(done.counts.rowsIn);

    const source = memorySource(list, 1 << 20);
    const refused = await loadRefusedSet(new RefusedKeysStore(root.db), (await root.services.categories.requireActive('catalogs')).id, new Date(done.snapshotAt));
    const expected = { cleansed: createHash('sha256'), discards: createHash('sha256') };
    const outcome = await cleanseWhole(source, await prepareList(source, {}), { mode: 'suppress', dedupe: true, keepUnreadable: false, mapping: {} }, { refused, seen: new KeyHashTable() }, async (kind, stream) => {
      for await (const chunk of stream) expected[kind].update(chunk as Buffer);
    });
    const sha = async (kind: 'cleansed' | 'discards') => createHash('sha256').update((await download(app, key, id, kind)).body as Buffer).digest('hex');
    expect(await sha('cleansed')).toBe(expected.cleansed.digest('hex'));
    expect(await sha('discards')).toBe(expected.discards.digest('hex'));
    expect(done.counts).toMatchObject({ rowsIn: outcome.counts.rowsIn, kept: outcome.counts.kept, discardedByReason: outcome.counts.discarded });
    expect(outcome.counts.rowsIn).toBeGreaterThanOrEqual(ROWS); // a stray quote's record counts as two rows
    expect(outcome.counts.discarded.DUPLICATE).toBeGreaterThan(50_000);
    expect(outcome.counts.discarded.OPTED_OUT).toBeGreaterThan(0);
  });
});
