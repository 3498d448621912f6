import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Express } from 'express';
import { startWorkers } from '../../src/start/worker';
import { projectPath } from '../../src/lib/project-path';
import { createApp } from '../../src/root';
import { CLEANSE_QUEUE } from '../../src/lists/jobs/cleanse-flow';
import { ListsStore } from '../../src/lists/lists-store';
import { LIST_WEBHOOK_QUEUE } from '../../src/lists/webhooks/list-webhooks';
import { generatedList } from '../support/lists-fixtures';
import { createOperator, csrfFrom, signedInAgent } from '../support/operator-session';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);
jest.setTimeout(120_000);

/**
 * Lists no job will finish (their jobs failed while the database could not record it, or Redis
 * lost them) are settled by the workers' watchdog; an operator runs a failed list again from the
 * console or the command line.
 */
describe('stranded and failed lists', () => {
  let root: TestRoot;
  let app: Express;
  let store: ListsStore;

  beforeAll(async () => {
    root = await createTestRoot();
    app = createApp(root);
    store = new ListsStore(root.db);
    await createOperator(root, 'lists-ops@example.com');
  }, 60_000);
  afterAll(async () => {
    await root?.cleanup();
  });

  /** A submitted list (queued, its job waiting: no worker runs until a test starts them). */
  async function submitted(name = 'stranded.csv'): Promise<string> {
    const { apiKey } = await root.services.mailers.createMailer(`Watchdog ${Math.random()}`);
    const mailer = await root.services.mailers.authenticate(apiKey);
    const listId = root.services.lists.newListId();
    const upload = await root.services.lists.receiveUpload(listId, Readable.from([generatedList(40, 40).bytes]));
    await root.services.lists.submit(mailer, listId, name, { category: 'catalogs' }, upload);
    return listId;
  }

  /** Its job taken by a worker that fails it for good without recording it (as with the database down). */
  async function failedUnrecorded(listId: string): Promise<void> {
    await root.db.query(`UPDATE list_jobs SET status = 'running', started_at = now() WHERE id = $1::uuid`, [listId]);
    const taker = new Worker(CLEANSE_QUEUE, null, { connection: root.redis, prefix: root.config.queue.prefix, autorun: false });
    try {
      const job = (await taker.getNextJob('gone'))!;
      expect(job.data).toEqual({ listId });
      await job.moveToFailed(new UnrecoverableError('connect ECONNREFUSED 127.0.0.1:5432'), 'gone');
    } finally {
      await taker.close();
    }
  }

  it('fails a list whose jobs all failed unrecorded, re-queues one whose job is gone, and leaves alone one whose job waits — each only on a second sweep', async () => {
    const failed = await submitted();
    await failedUnrecorded(failed);
    // Its mailer has a webhook (a public address: no worker runs here to send it).
    await root.services.webhookSettings.set((await store.find(failed))!.mailerId, 'https://93.184.216.34/mailpref-events');
    const lost = await submitted();
    await root.queues.queue(CLEANSE_QUEUE).remove(lost); // as if Redis had lost it
    const waiting = await submitted();

    const watchdog = root.services.listWatchdog;
    expect(await watchdog.sweep()).toEqual({ failed: [], requeued: [] });
    expect((await store.find(failed))!.status).toBe('running');
    expect(await watchdog.sweep()).toEqual({ failed: [failed], requeued: [lost] });

    const settled = (await store.find(failed))!;
    expect(settled.status).toBe('failed');
    expect(settled.error).toBe(
      `Processing failed: connect ECONNREFUSED 127.0.0.1:5432 (the failure could not be recorded when it happened). An operator can run it again (mailpref lists retry ${failed}), or upload the list again`,
    );
    // The webhook is told of the failure the watchdog recorded.
    expect(await root.queues.queue(LIST_WEBHOOK_QUEUE).getJob(`${failed}-list-failed`)).toMatchObject({ data: { listId: failed, event: 'list.failed' } });
    expect(await root.queues.queue(CLEANSE_QUEUE).getJobState(lost)).toBe('waiting');
    expect((await store.find(waiting))!.status).toBe('queued');
    expect(await watchdog.sweep()).toEqual({ failed: [], requeued: [] });
    await root.queues.queue(CLEANSE_QUEUE).obliterate({ force: true });
  });

  it('runs a failed list again from the command line, and exits 1 with one line for a list that cannot be', async () => {
    const listId = await submitted();
    await failedUnrecorded(listId);
    await store.failIfStatus(listId, 'running', 'Processing failed: the database was down');
    const env = {
      ...process.env,
      DATABASE_URL: root.config.databaseUrl,
      REDIS_URL: root.config.redisUrl,
      QUEUE_PREFIX: root.config.queue.prefix,
      DATA_DIR: root.config.dataDir,
      LOG_LEVEL: 'warn',
    };
    const cli = (...args: string[]) => run(process.execPath, [projectPath('dist/src/cli.js'), 'lists', 'retry', ...args], { env });
    const { stdout } = await cli(listId);
    expect(stdout).toBe(`List ${listId} (stranded.csv) is queued again; a worker will run it.\n`);
    expect((await store.find(listId))!.status).toBe('queued');
    const [entry] = await root.services.audit.list();
    expect(entry).toMatchObject({ action: 'list.retry', targetId: listId });
    expect(entry!.actor).toMatch(/^cli:/);

    const refused = await cli(listId).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 1, stderr: `mailpref: List ${listId} is queued, and its jobs are still at work\n` });
    await root.queues.queue(CLEANSE_QUEUE).obliterate({ force: true });
  });

  it('runs a failed list again from the console, audited; refuses a completed one and an id that is no list', async () => {
    const listId = await submitted('spring.csv');
    await failedUnrecorded(listId);
    await store.failIfStatus(listId, 'running', 'Processing failed: the database was down');
    const { agent } = await signedInAgent(app, 'lists-ops@example.com');
    const mailerId = (await store.find(listId))!.mailerId;
    const page = await agent.get(`/operator/mailers/${mailerId}`);
    expect(page.text).toContain(`action="/operator/lists/${listId}/retry"`);
    expect(page.text).toContain('Run again<span class="usa-sr-only"> list spring.csv</span>');

    const retried = await agent.post(`/operator/lists/${listId}/retry`).type('form').send({ _csrf: csrfFrom(page.text), mailer: String(mailerId) });
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe(`/operator/mailers/${mailerId}`);
    expect((await store.find(listId))!).toMatchObject({ status: 'queued', error: null, rowsProcessed: 0 });
    const [entry] = await root.services.audit.list();
    expect(entry).toMatchObject({ actor: 'lists-ops@example.com', action: 'list.retry', targetId: listId });

    startWorkers(root);
    const done = await waitFor(async () => {
      const list = await store.find(listId);
      return list?.status === 'completed' ? list : undefined;
    }, 30_000, 'the retried list to complete');
    expect(done.rowsIn).toBe(40);

    const again = await agent.get(`/operator/mailers/${mailerId}`);
    expect(again.text).not.toContain(`/operator/lists/${listId}/retry`);
    const refused = await agent.post(`/operator/lists/${listId}/retry`).type('form').send({ _csrf: csrfFrom(again.text), mailer: String(mailerId) });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`List ${listId} is completed: only a failed list can be run again`);
    const unknown = await agent.post(`/operator/lists/${'-'.repeat(36)}/retry`).type('form').send({ _csrf: csrfFrom(again.text), mailer: String(mailerId) });
    expect(unknown.status).toBe(404);
  });
});
