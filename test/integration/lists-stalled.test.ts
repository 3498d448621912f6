import { Readable } from 'node:stream';
import { UnrecoverableError, Worker } from 'bullmq';
import { CLEANSE_QUEUE, failListOfStalledJob } from '../../src/lists/jobs/cleanse-flow';
import { ListsStore } from '../../src/lists/lists-store';
import { generatedList } from '../support/lists-fixtures';
import { createTestRoot, type TestRoot } from '../support/test-root';

/**
 * A job that stalls more often than BullMQ retries (its worker killed or hung past its lock, each
 * time) is failed by BullMQ's own stalled check, which never calls our processor: its list must
 * still end "failed" with a reason, not stay "running".
 */
describe('a list whose job BullMQ failed for stalling', () => {
  let root: TestRoot;

  beforeAll(async () => {
    root = await createTestRoot();
  }, 60_000);
  afterAll(async () => {
    await root?.cleanup();
  });

  /** A submitted list (no worker runs here), taken by a worker that then vanishes. */
  async function takenList(): Promise<{ listId: string; job: import('bullmq').Job; token: string; taker: Worker }> {
    const { apiKey } = await root.services.mailers.createMailer(`Stalled ${Math.random()}`);
    const mailer = await root.services.mailers.authenticate(apiKey);
    const listId = root.services.lists.newListId();
    const upload = await root.services.lists.receiveUpload(listId, Readable.from([generatedList(50, 50).bytes]));
    await root.services.lists.submit(mailer, listId, 'stalled.csv', { category: 'catalogs' }, upload);
    await root.db.query(`UPDATE list_jobs SET status = 'running', started_at = now() WHERE id = $1::uuid`, [listId]);
    const taker = new Worker(CLEANSE_QUEUE, null, { connection: root.redis, prefix: root.config.queue.prefix, autorun: false });
    const token = 'vanished-worker';
    const job = (await taker.getNextJob(token))!;
    expect(job.data).toEqual({ listId });
    return { listId, job, token, taker };
  }

  it('is marked failed with the reason, once BullMQ has failed the job', async () => {
    const { listId, job, token, taker } = await takenList();
    // What BullMQ's stalled check does to a job past its stall limit (failed whatever attempts remain).
    await job.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), token);
    await taker.close();

    expect(await failListOfStalledJob(root.services.listJobs, root.queues.queue(CLEANSE_QUEUE), job.id!)).toBe(true);
    const list = await new ListsStore(root.db).find(listId);
    expect(list?.status).toBe('failed');
    expect(list?.error).toMatch(/stopped responding.*job stalled more than allowable limit/);
  });

  it('is left alone while the stalled job is only waiting for its retry', async () => {
    const { listId, job, taker } = await takenList();
    await taker.close();
    expect(await job.getState()).toBe('active');
    expect(await failListOfStalledJob(root.services.listJobs, root.queues.queue(CLEANSE_QUEUE), job.id!)).toBe(false);
    expect((await new ListsStore(root.db).find(listId))?.status).toBe('running');
  });
});
