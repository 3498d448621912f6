import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Express } from 'express';
import { startWorkers } from '../../src/start/worker';
import { ensureDatabase } from '../../src/lib/db';
import { createLogger } from '../../src/lib/logger';
import { createApp, createRoot, type Root } from '../../src/root';
import { cleanseWhole, prepareList } from '../../src/lists/cleanse';
import { loadRefusedSet } from '../support/whole-refused-set';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { createMailerKey, download, generatedList, householdAddress, refuse, upload } from '../support/lists-fixtures';
import { memorySource } from '../support/memory-list';
import { PrivatePostgres } from '../support/private-postgres';
import { PrivateRedis } from '../support/private-redis';
import { createTestDatabase, testConfig } from '../support/test-root';
import { waitFor } from '../support/wait-for';

jest.setTimeout(300_000);

const ROWS = 60_000;
const list = generatedList(ROWS, 4000, 23);

/**
 * PostgreSQL or Redis restarted in the middle of a chunked cleanse: real servers of this test's
 * own (test/support/private-postgres.ts, private-redis.ts), stopped and started again on the same
 * port. PostgreSQL is stopped for 10 s and for 60 s; Redis for 10 s and for 60 s with its data
 * (a clean stop, its append-only file read back, as the embedded one and any Redis that BullMQ can
 * rely on keeps it) and for 10 s coming back empty (killed, its data lost). Every list ends
 * completed with a single pass's bytes, or failed with its reason — and then completes when
 * retried; none stays "running".
 *
 * The scenarios each have servers of their own and all run at once, each test waiting for its
 * own: the file takes about as long as the longest outage and its recovery, not their sum.
 */
describe('a PostgreSQL or Redis restart in the middle of a cleanse', () => {
  const stops: (() => Promise<void>)[] = [];
  const servers: (PrivatePostgres | PrivateRedis)[] = [];
  const runs = new Map<string, Promise<string>>();

  beforeAll(() => {
    const scenarios: Record<string, () => Promise<string>> = {
      'postgres 10': () => postgresOutage(10),
      'postgres 60': () => postgresOutage(60),
      'redis 10': () => redisRestart(10, { keepData: true }),
      'redis 60': () => redisRestart(60, { keepData: true }),
      'redis empty': () => redisRestart(10, { keepData: false }),
    };
    for (const [name, scenario] of Object.entries(scenarios)) {
      const run = scenario();
      run.catch(() => undefined); // awaited by its test
      runs.set(name, run);
    }
  });
  afterAll(async () => {
    await Promise.allSettled(runs.values());
    // Every server running again (a failed test may have left one stopped), then the services stop.
    for (const server of servers) await server.start().catch(() => undefined);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    for (const server of servers) await server.destroy();
  });

  async function ran(name: string): Promise<void> {
    process.stdout.write(`${await runs.get(name)!}\n`);
  }

  it('PostgreSQL stopped for 10 s: one list completes by itself, the other fails with its reason and completes when retried', () => ran('postgres 10'));
  it('PostgreSQL stopped for 60 s: the same', () => ran('postgres 60'));
  it('Redis restarted with its data after 10 s: the list completes with the right bytes', () => ran('redis 10'));
  it('Redis restarted with its data after 60 s: the list completes with the right bytes', () => ran('redis 60'));
  it('Redis restarted empty: the list is failed with its reason, and completes when retried', () => ran('redis empty'));

  type Service = { root: Root; app: Express; key: string };

  /** A service with its app, its workers in this process and a mailer; the database is a fresh one on `postgres` or a copy of the tests' template. */
  async function service(on: { postgres?: PrivatePostgres; redisUrl?: string }, settings: Record<string, string>): Promise<Service> {
    let databaseUrl: string;
    if (on.postgres) {
      const name = `restart_${randomBytes(4).toString('hex')}`;
      await ensureDatabase(on.postgres.url(), name);
      databaseUrl = on.postgres.url(name);
    } else {
      const database = await createTestDatabase();
      stops.push(database.drop);
      databaseUrl = database.url;
    }
    const root = await createRoot(
      testConfig({ DATABASE_URL: databaseUrl, ...(on.redisUrl ? { REDIS_URL: on.redisUrl } : {}), LIST_CHUNK_BYTES: '65536', WORKER_CONCURRENCY: '2', ...settings }),
      { logger: createLogger((process.env.TEST_LOG_LEVEL as 'error') ?? 'silent'), migrate: on.postgres !== undefined },
    );
    stops.push(async () => {
      for (const queue of root.queues.allQueues()) await queue.obliterate({ force: true }).catch(() => undefined);
      await root.stop();
      fs.rmSync(root.config.dataDir, { recursive: true, force: true });
    });
    await refuse(root, 'catalogs', Array.from({ length: 200 }, (_, i) => householdAddress(i * 20 + 1)));
    startWorkers(root);
    return { root, app: createApp(root), key: await createMailerKey(root, 'Restart Mailer') };
  }

  async function uploadList({ app, key }: Service): Promise<string> {
    const res = await upload(app, key, list.bytes, { category: 'catalogs' });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  async function listRow(root: Root, id: string) {
    const { rows } = await root.db.query<{ status: string; error: string | null; rows_processed: number; snapshot_at: Date }>(
      'SELECT status, error, rows_processed, snapshot_at FROM list_jobs WHERE id = $1::uuid',
      [id],
    );
    return rows[0]!;
  }

  /** Waits until every list is running with some rows done, and fewer than half: the restart comes well before any is done. */
  async function underWay(lists: [Service, string][]): Promise<number[]> {
    const progress = await waitFor(
      async () => {
        const rows = await Promise.all(lists.map(([{ root }, id]) => listRow(root, id)));
        return rows.every((row) => row.status === 'running' && row.rows_processed > 0) ? rows.map((row) => row.rows_processed) : undefined;
      },
      60_000,
      'the lists to be under way',
    );
    for (const processed of progress) expect(processed).toBeLessThan(ROWS / 2);
    return progress;
  }

  /** Polls until the list is completed or failed; queries failing while the database is down are retried. */
  function settled(root: Root, id: string, timeoutMs: number) {
    return waitFor(
      async () => {
        const row = await listRow(root, id).catch(() => undefined);
        return row && (row.status === 'completed' || row.status === 'failed') ? row : undefined;
      },
      timeoutMs,
      `list ${id} to complete or fail`,
    );
  }

  /** The cleansed file a single pass over the list gives, with the choices as of the snapshot. */
  async function expectedSha256(root: Root, snapshotAt: Date): Promise<string> {
    const source = memorySource(list.bytes, 1 << 20);
    const category = await root.services.categories.requireActive('catalogs');
    const refused = await loadRefusedSet(new RefusedKeysStore(root.db), category.id, snapshotAt);
    const hash = createHash('sha256');
    await cleanseWhole(source, await prepareList(source, {}), { mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {} }, { refused, seen: undefined }, async (kind, stream) => {
      for await (const chunk of stream) if (kind === 'cleansed') hash.update(chunk as Buffer);
    });
    return hash.digest('hex');
  }

  /** The list's cleansed file is a single pass's, with the choices as of its snapshot. */
  async function expectSinglePassBytes({ root, app, key }: Service, id: string, snapshotAt: Date): Promise<void> {
    const res = await download(app, key, id, 'cleansed');
    expect(res.status).toBe(200);
    expect(createHash('sha256').update(res.body as Buffer).digest('hex')).toBe(await expectedSha256(root, snapshotAt));
  }

  /** Runs a failed list again as an operator does (once its last jobs have stopped); it completes, with the same snapshot. */
  async function retryCompletes(service: Service, id: string, failed: { snapshot_at: Date }): Promise<void> {
    await waitFor(
      () => service.root.services.mailersConsole.retryList(id, { label: 'test' }).then(() => true, (error: Error) => (/still stopping/.test(error.message) ? undefined : Promise.reject(error))),
      30_000,
      'the failed list to be retried',
    );
    const done = await settled(service.root, id, 90_000);
    expect(done).toMatchObject({ status: 'completed', error: null });
    // The retry kept the snapshot: the same bytes as a single pass as of it.
    expect(done.snapshot_at).toEqual(failed.snapshot_at);
    await expectSinglePassBytes(service, id, done.snapshot_at);
  }

  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * PostgreSQL stopped for `outage` seconds under two services: one whose retries outlast it (a
   * backoff with a ceiling), whose list completes by itself with the right bytes; one whose
   * retries end during it, whose list the watchdog fails with the reason once the database is
   * back, and which then completes when retried. Both outages are several times the old retry
   * window (3 attempts within 3 s, which left the list "running" for ever after the 10 s one).
   */
  async function postgresOutage(outage: number): Promise<string> {
    const postgres = await PrivatePostgres.create();
    servers.push(postgres);
    // Retries every 1, 2, 4, then 5 s for 87 s in all: they outlast either outage.
    const patient = await service({ postgres }, { JOB_ATTEMPTS: '20', JOB_RETRY_MAX_DELAY_MS: '5000' });
    // Three attempts within 3 s: they end during the outage, unrecorded.
    const hasty = await service({ postgres }, { JOB_ATTEMPTS: '3', LIST_WATCHDOG_MS: '1000' });
    // Both lists start together, so that neither is far ahead when the database stops.
    const queues = [patient, hasty].map(({ root }) => root.queues.queue('cleanse-list'));
    for (const queue of queues) await queue.pause();
    const ids = [await uploadList(patient), await uploadList(hasty)];
    for (const queue of queues) await queue.resume();
    const started = Date.now();
    const progress = await underWay([[patient, ids[0]!], [hasty, ids[1]!]]);
    await postgres.stop();
    const stoppedAt = Date.now();
    await sleep(outage * 1000);
    await postgres.start();
    const restartedAt = Date.now();

    const patientDone = await settled(patient.root, ids[0]!, 120_000);
    const patientAt = Date.now();
    expect(patientDone).toMatchObject({ status: 'completed', error: null });
    await expectSinglePassBytes(patient, ids[0]!, patientDone.snapshot_at);

    const hastyFailed = await settled(hasty.root, ids[1]!, 60_000);
    const hastyAt = Date.now();
    expect(hastyFailed.status).toBe('failed');
    expect(hastyFailed.error).toMatch(/^Processing failed: /);
    await retryCompletes(hasty, ids[1]!, hastyFailed);
    return (
      `database outage ${outage} s (stopped ${stoppedAt - started} ms after the lists started, at ${progress.join(' and ')} of ${ROWS} rows): ` +
      `patient list completed ${seconds(patientAt - restartedAt)} after the restart; ` +
      `hasty list failed ${seconds(hastyAt - restartedAt)} after it, and its retry completed ${seconds(Date.now() - hastyAt)} later`
    );
  }

  /** An upload while Redis is down: answered 202 within seconds, its list queued. */
  async function uploadWhileDown({ app, key }: Service): Promise<{ id: string; status: number; ms: number }> {
    const started = Date.now();
    const res = await upload(app, key, list.bytes, { category: 'catalogs' }).timeout(20_000);
    const ms = Date.now() - started;
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    expect(ms).toBeLessThan(10_000);
    return { id: res.body.id as string, status: res.status, ms };
  }

  /**
   * Redis stopped for `outage` seconds under a service with the default retries. A 10 s outage
   * is shorter than the jobs' locks; a 60 s one outlasts them: the chunks that were running are
   * stalled when Redis is back, and run again. With its data, the list completes by itself; empty,
   * its jobs are gone, the watchdog fails it with the reason, and it completes when retried. The
   * schedules are installed again in the empty Redis.
   */
  async function redisRestart(outage: number, options: { keepData: boolean }): Promise<string> {
    const redis = await PrivateRedis.create();
    servers.push(redis);
    // The 60 s outage outlasts the jobs' locks: 10 s here (30 s by default), so that the stalled
    // check that runs the chunks again comes sooner after it.
    const lists = await service({ redisUrl: redis.url }, { LIST_WATCHDOG_MS: '1000', ...(outage > 30 ? { JOB_LOCK_MS: '10000' } : {}) });
    const id = await uploadList(lists);
    const started = Date.now();
    const [progress] = await underWay([[lists, id]]);
    const schedule = await lists.root.services.schedules.create({ name: 'nightly-purge', kind: 'purge-expired', pattern: '0 2 * * *' }, { label: 'test' });
    await redis.stop(options);
    const stoppedAt = Date.now();
    // A list uploaded while Redis is down is taken (recorded as queued) without waiting for Redis.
    const during = options.keepData && outage >= 60 ? await uploadWhileDown(lists) : undefined;
    await sleep(outage * 1000 - (Date.now() - stoppedAt));
    await redis.start();
    const restartedAt = Date.now();
    const what = `Redis ${options.keepData ? 'restarted with its data' : 'restarted empty'} after ${outage} s (stopped ${stoppedAt - started} ms after the list started, at ${progress} of ${ROWS} rows): `;

    const row = await settled(lists.root, id, 120_000);
    const settledAt = Date.now();
    if (options.keepData) {
      expect(row).toMatchObject({ status: 'completed', error: null });
      await expectSinglePassBytes(lists, id, row.snapshot_at);
      let also = '';
      if (during) {
        const done = await settled(lists.root, during.id, 120_000);
        expect(done).toMatchObject({ status: 'completed', error: null });
        await expectSinglePassBytes(lists, during.id, done.snapshot_at);
        also = `; a list uploaded while it was down was answered ${during.status} in ${during.ms} ms, and completed ${seconds(Date.now() - restartedAt)} after the restart`;
      }
      return `${what}the list completed ${seconds(settledAt - restartedAt)} after the restart${also}`;
    }
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/^Processing stopped: its jobs are no longer queued/);
    // The schedules, kept in PostgreSQL, are installed again in the empty Redis.
    const installed = await waitFor(
      async () => {
        const schedulers = await lists.root.queues.queue('purge-expired').getJobSchedulers(0, -1);
        return schedulers.length > 0 ? schedulers.map((scheduler) => scheduler.key) : undefined;
      },
      10_000,
      'the schedules to be installed again',
    );
    expect(installed).toEqual([`schedule-${schedule.id}`]);
    await retryCompletes(lists, id, row);
    return `${what}the list failed ${seconds(settledAt - restartedAt)} after the restart, and its retry completed ${seconds(Date.now() - settledAt)} later`;
  }
});
