import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Express } from 'express';
import { startWorkers } from '../../src/start/worker';
import { ensureDatabase } from '../../src/lib/db';
import { createLogger } from '../../src/lib/logger';
import { createApp, createRoot, type Root } from '../../src/root';
import { cleanseWhole, prepareList } from '../../src/lists/cleanse';
import { loadRefusedSet } from '../../src/lists/jobs/refused-sets';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { createMailerKey, download, generatedList, householdAddress, refuse, upload } from '../support/lists-fixtures';
import { memorySource } from '../support/memory-list';
import { PrivatePostgres } from '../support/private-postgres';
import { testConfig } from '../support/test-root';
import { waitFor } from '../support/wait-for';

jest.setTimeout(300_000);

const ROWS = 60_000;
const list = generatedList(ROWS, 4000, 23);

/**
 * PostgreSQL stopped in the middle of a chunked cleanse, for 10 s and for 20 s (a real server of
 * this test's own, stopped and started again on the same port and data). Two services run through
 * each outage: one whose retries outlast it (a backoff with a ceiling), whose list completes by
 * itself with the right bytes; one whose retries end during it, whose list the watchdog fails with
 * the reason once the database is back, and which then completes when retried. Neither list stays
 * "running". Both outages are several times the old retry window (3 attempts within 3 s, which
 * left the list "running" for ever after the 10 s one); the 20 s one stands for the longer
 * restarts that the default retries (about 3.5 minutes) outlast, kept short for the suite's time.
 */
describe('a PostgreSQL restart in the middle of a cleanse', () => {
  let postgres: PrivatePostgres;
  const roots: Root[] = [];

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
  }, 60_000);
  afterAll(async () => {
    await postgres?.start();
    for (const root of roots) {
      for (const queue of root.queues.allQueues()) await queue.obliterate({ force: true }).catch(() => undefined);
      await root.stop();
      fs.rmSync(root.config.dataDir, { recursive: true, force: true });
    }
    await postgres?.destroy();
  });

  /** A service on the private server, with its app, its workers in this process and a mailer. */
  async function service(settings: Record<string, string>): Promise<{ root: Root; app: Express; key: string }> {
    const database = `outage_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(postgres.url(), database);
    const root = await createRoot(testConfig({ DATABASE_URL: postgres.url(database), LIST_CHUNK_BYTES: '65536', WORKER_CONCURRENCY: '2', ...settings }), {
      logger: createLogger((process.env.TEST_LOG_LEVEL as 'error') ?? 'silent'),
    });
    roots.push(root);
    await refuse(root, 'catalogs', Array.from({ length: 200 }, (_, i) => householdAddress(i * 20 + 1)));
    startWorkers(root);
    return { root, app: createApp(root), key: await createMailerKey(root, 'Outage Mailer') };
  }

  async function listRow(root: Root, id: string) {
    const { rows } = await root.db.query<{ status: string; error: string | null; rows_processed: number; snapshot_at: Date }>(
      'SELECT status, error, rows_processed, snapshot_at FROM list_jobs WHERE id = $1::uuid',
      [id],
    );
    return rows[0]!;
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

  async function cleansedSha256(app: Express, key: string, id: string): Promise<string> {
    const res = await download(app, key, id, 'cleansed');
    expect(res.status).toBe(200);
    return createHash('sha256').update(res.body as Buffer).digest('hex');
  }

  async function outage(seconds: number): Promise<void> {
    // Retries every 1, 2, 4, then 5 s for 87 s in all: they outlast either outage.
    const patient = await service({ JOB_ATTEMPTS: '20', JOB_RETRY_MAX_DELAY_MS: '5000' });
    // Three attempts within 3 s: they end during the outage, unrecorded.
    const hasty = await service({ JOB_ATTEMPTS: '3', LIST_WATCHDOG_MS: '1000' });
    const ids: string[] = [];
    for (const { app, key } of [patient, hasty]) {
      const res = await upload(app, key, list.bytes, { category: 'catalogs' });
      expect(res.status).toBe(202);
      ids.push(res.body.id as string);
    }
    // Stop the database once both lists are under way, well before either is done.
    const started = Date.now();
    const progress = await waitFor(
      async () => {
        const rows = await Promise.all([listRow(patient.root, ids[0]!), listRow(hasty.root, ids[1]!)]);
        return rows.every((row) => row.status === 'running' && row.rows_processed > 0) ? rows.map((row) => row.rows_processed) : undefined;
      },
      60_000,
      'both lists to be under way',
    );
    for (const processed of progress) expect(processed).toBeLessThan(ROWS / 2);
    await postgres.stop();
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await postgres.start();
    const restartedAt = Date.now();

    const patientDone = await settled(patient.root, ids[0]!, 120_000);
    const patientAt = Date.now();
    expect(patientDone).toMatchObject({ status: 'completed', error: null });
    expect(await cleansedSha256(patient.app, patient.key, ids[0]!)).toBe(await expectedSha256(patient.root, patientDone.snapshot_at));

    const hastyFailed = await settled(hasty.root, ids[1]!, 60_000);
    const hastyAt = Date.now();
    expect(hastyFailed.status).toBe('failed');
    expect(hastyFailed.error).toMatch(/^Processing failed: /);
    await waitFor(
      () => hasty.root.services.mailersConsole.retryList(ids[1]!, { label: 'test' }).then(() => true, (error: Error) => (/still stopping/.test(error.message) ? undefined : Promise.reject(error))),
      30_000,
      'the failed list to be retried',
    );
    const hastyDone = await settled(hasty.root, ids[1]!, 60_000);
    expect(hastyDone).toMatchObject({ status: 'completed', error: null });
    // The retry kept the snapshot: the same bytes as a single pass as of it.
    expect(hastyDone.snapshot_at).toEqual(hastyFailed.snapshot_at);
    expect(await cleansedSha256(hasty.app, hasty.key, ids[1]!)).toBe(await expectedSha256(hasty.root, hastyDone.snapshot_at));
    process.stdout.write(
      `database outage ${seconds} s (stopped ${stoppedAt - started} ms after the lists started, at ${progress.join(' and ')} of ${ROWS} rows): ` +
        `patient list completed ${((patientAt - restartedAt) / 1000).toFixed(1)} s after the restart; ` +
        `hasty list failed ${((hastyAt - restartedAt) / 1000).toFixed(1)} s after it, and its retry completed ${((Date.now() - hastyAt) / 1000).toFixed(1)} s later\n`,
    );
  }

  it('for 10 s: one list completes by itself, the other fails with its reason and completes when retried', async () => {
    await outage(10);
  });

  it('for 20 s: the same', async () => {
    await outage(20);
  });
});
