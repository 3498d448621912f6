import { Readable } from 'node:stream';
import { startWorkers } from '../../src/start/worker';
import { hashApiKey } from '../../src/mailers/mailers-service';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { recordChoice } from '../support/preferences';
import { waitFor } from '../support/wait-for';

const actor = { label: 'ops@example.com' };
const DAY = 24 * 3600 * 1000;

describe('purge-expired', () => {
  let root: TestRoot;

  beforeAll(async () => {
    root = await createTestRoot({ RETENTION_DAYS: '30' });
  });
  afterAll(() => root.cleanup());

  /** A finished move import with its two files, completed `ageDays` ago. */
  async function finishedImport(ageDays: number, status = 'completed') {
    const created = await root.services.moves.upload(Readable.from([Buffer.from('old_address1\n')]), `moves-${ageDays}.csv`, actor);
    await root.files.put(`moves/${created.id}/rejects.csv`, Readable.from([Buffer.from('line,reason\n')]));
    await root.db.query(
      `UPDATE move_imports SET status = $2::text, completed_at = now() - make_interval(days => $3::int), reject_key = $4::text WHERE id = $1::int`,
      [created.id, status, ageDays, `moves/${created.id}/rejects.csv`],
    );
    return created.id;
  }

  it('deletes exactly the files past retention and expired sessions, keeping summaries and choice history', async () => {
    await recordChoice(root.db, { address1: '1 Main St', zip: '12345' }, 'catalogs', false);
    const expired = await finishedImport(31);
    const expiredFailed = await finishedImport(45, 'failed');
    const recent = await finishedImport(29);
    const stillQueued = (await root.services.moves.upload(Readable.from([Buffer.from('old_address1\n')]), 'queued.csv', actor)).id;
    await root.db.query(`UPDATE move_imports SET status = 'queued', completed_at = NULL WHERE id = $1::int`, [stillQueued]);
    await root.db.query(`UPDATE move_imports SET uploaded_at = now() - interval '90 days' WHERE id = $1::int`, [stillQueued]);
    await root.services.operators.create('ops@example.com', actor);
    const { rows: operator } = await root.db.query<{ id: number }>(`SELECT id FROM operators`);
    await root.db.query(`INSERT INTO operator_sessions (token_hash, operator_id, expires_at) VALUES ('old', $1::int, now() - interval '1 minute'), ('live', $1::int, now() + interval '1 hour')`, [operator[0]!.id]);
    // Mailer portal sessions: two expired, one live, opened through the service like a real sign-in.
    const { apiKey } = await root.services.mailers.createMailer('Session Purge Mailer');
    const live = await root.services.mailers.signIn(apiKey);
    for (let i = 0; i < 2; i++) await root.services.mailers.signIn(apiKey);
    await root.db.query(`UPDATE mailer_sessions SET expires_at = now() - interval '1 minute' WHERE token_hash <> $1::text`, [hashApiKey(live.token)]);
    // Postcard codes: one expired, one live.
    const { rows: point } = await root.db.query<{ id: number }>(`SELECT id FROM delivery_points LIMIT 1`);
    const { rows: codes } = await root.db.query<{ id: number }>(
      `INSERT INTO access_codes (delivery_point_id, code_hash, expires_at, revoked_at)
       VALUES ($1::bigint, 'expired-hash', now() - interval '1 day', now()), ($1::bigint, 'live-hash', now() + interval '300 days', NULL) RETURNING id`,
      [point[0]!.id],
    );
    expect(codes).toHaveLength(2);
    const eventsBefore = await root.db.query<{ n: number }>('SELECT count(*) AS n FROM preference_events');

    const report = await root.services.purge.purge();

    expect(report).toMatchObject({
      retentionDays: 30,
      moveImports: { imports: 2, files: 4, ids: [expired, expiredFailed].sort((a, b) => a - b) },
      listJobs: { jobs: 0 },
      accessCodes: 1,
      sessions: { operator: 1, mailer: 2 },
    });
    const { rows: left } = await root.db.query<{ code_hash: string }>('SELECT code_hash FROM access_codes');
    expect(left.map((row) => row.code_hash)).toEqual(['live-hash']);
    expect(new Date(report.cutoff).getTime()).toBeGreaterThan(Date.now() - 30 * DAY - 60_000);
    for (const id of [expired, expiredFailed]) {
      expect(await root.files.exists(`moves/${id}/upload.csv`)).toBe(false);
      expect(await root.files.exists(`moves/${id}/rejects.csv`)).toBe(false);
      const summary = await root.services.moves.get(id);
      expect(summary.filesPurgedAt).not.toBeNull();
      expect(summary.originalName).toMatch(/^moves-\d+\.csv$/);
      await expect(root.services.moves.rejectReport(id)).rejects.toThrow('deleted after the retention period');
    }
    for (const id of [recent, stillQueued]) {
      expect(await root.files.exists(`moves/${id}/upload.csv`)).toBe(true);
      expect((await root.services.moves.get(id)).filesPurgedAt).toBeNull();
    }
    expect(await root.files.exists(`moves/${recent}/rejects.csv`)).toBe(true);
    const { rows: sessions } = await root.db.query<{ token_hash: string }>('SELECT token_hash FROM operator_sessions ORDER BY 1');
    expect(sessions.map((row) => row.token_hash)).toEqual(['live']);
    const { rows: mailerSessions } = await root.db.query<{ token_hash: string }>('SELECT token_hash FROM mailer_sessions');
    expect(mailerSessions.map((row) => row.token_hash)).toEqual([hashApiKey(live.token)]);
    await expect(root.services.mailers.sessionIdentity(live.token)).resolves.toMatchObject({ mailerName: 'Session Purge Mailer' });
    const eventsAfter = await root.db.query<{ n: number }>('SELECT count(*) AS n FROM preference_events');
    expect(eventsAfter.rows[0]!.n).toBe(eventsBefore.rows[0]!.n);

    // A second purge finds nothing more to delete.
    const again = await root.services.purge.purge();
    expect(again.moveImports.imports).toBe(0);
    expect(again.sessions).toEqual({ operator: 0, mailer: 0 });
  });

  it("deletes the console uploads and outputs other jobs' runs name, once past retention", async () => {
    const actorRow = { label: 'ops@example.com' };
    const jobId = await root.services.operatorJobs.uploadAndQueue('import-returned-cards', Readable.from([Buffer.from('code\n')]), 'cards.csv', actorRow);
    const job = await root.queues.queue('import-returned-cards').getJob(jobId);
    const inputKey = (job!.data as { inputKey: string }).inputKey;
    const outputKey = `${(job!.data as { outputPrefix: string }).outputPrefix}/rejects.csv`;
    await root.files.put(outputKey, Readable.from([Buffer.from('line,reason\n')]));
    const scheduleInput = 'schedules/addresses.csv';
    await root.files.put(scheduleInput, Readable.from([Buffer.from('address1\n')]));
    const run = (old: boolean, data: unknown, result: unknown) =>
      root.db.query(
        `INSERT INTO job_runs (kind, job_id, job_name, attempt, data, started_at, finished_at, outcome, result)
         VALUES ('import-returned-cards', $1::text, 'x', 1, $2::jsonb, now() - make_interval(days => $3::int), now() - make_interval(days => $3::int), 'completed', $4::jsonb)`,
        [`j-${Math.random()}`, JSON.stringify(data), old ? 40 : 1, JSON.stringify(result)],
      );
    await run(true, job!.data, { rowsIn: 1, rejectsKey: outputKey });
    await run(true, { inputKey: scheduleInput }, { rowsIn: 0 });
    const recentOutput = 'uploads/import-returned-cards/recent/rejects.csv';
    await root.files.put(recentOutput, Readable.from([Buffer.from('line\n')]));
    await run(false, {}, { rejectsKey: recentOutput });

    const report = await root.services.purge.purge();
    expect(report.jobRuns).toEqual({ runs: 2, files: 2 });
    expect(await root.files.exists(inputKey)).toBe(false);
    expect(await root.files.exists(outputKey)).toBe(false);
    // A file a schedule reads every time is not a run's own upload: it stays.
    expect(await root.files.exists(scheduleInput)).toBe(true);
    expect(await root.files.exists(recentOutput)).toBe(true);
    await root.queues.queue('import-returned-cards').obliterate({ force: true });
  });

  it("deletes the files of finished lists past retention and marks them, keeping the lists' summaries", async () => {
    const { rows: mailer } = await root.db.query<{ id: number }>(`INSERT INTO mailers (name) VALUES ('Purge Test Mailer') RETURNING id`);
    const list = (status: string, ageDays: number) =>
      root.db.query<{ id: string }>(
        `INSERT INTO list_jobs (mailer_id, category_id, list_name, mode, status, rows_in, finished_at)
         SELECT $1::int, id, 'spring.csv', 'suppress', $2::text, 10, now() - make_interval(days => $3::int) FROM categories WHERE slug = 'catalogs'
         RETURNING id::text AS id`,
        [mailer[0]!.id, status, ageDays],
      );
    const old = (await list('completed', 31)).rows[0]!.id;
    const recent = (await list('completed', 3)).rows[0]!.id;
    for (const id of [old, recent]) {
      await root.files.put(`lists/${id}/upload`, Readable.from([Buffer.from('address1\n')]));
      await root.files.put(`lists/${id}/cleansed`, Readable.from([Buffer.from('address1\n')]));
    }
    const report = await root.services.purge.purge();
    expect(report.listJobs).toEqual({ jobs: 1, ids: [old], stuck: 0 });
    expect(await root.files.exists(`lists/${old}/upload`)).toBe(false);
    expect(await root.files.exists(`lists/${old}/cleansed`)).toBe(false);
    expect(await root.files.exists(`lists/${recent}/cleansed`)).toBe(true);
    const { rows } = await root.db.query<{ id: string; files_deleted_at: Date | null; rows_in: number }>(
      'SELECT id::text AS id, files_deleted_at, rows_in FROM list_jobs ORDER BY finished_at',
    );
    expect(rows.map((row) => [row.id, row.files_deleted_at !== null, row.rows_in])).toEqual([
      [old, true, 10],
      [recent, false, 10],
    ]);
  });

  it('fails a list stuck queued or running past retention, with the reason, and deletes its files', async () => {
    const { rows: mailer } = await root.db.query<{ id: number }>(`INSERT INTO mailers (name) VALUES ('Stuck Purge Mailer') RETURNING id`);
    const list = (status: string, ageDays: number) =>
      root.db.query<{ id: string }>(
        `INSERT INTO list_jobs (mailer_id, category_id, list_name, mode, status, created_at, started_at)
         SELECT $1::int, id, 'stuck.csv', 'suppress', $2::text, now() - make_interval(days => $3::int), CASE WHEN $2::text = 'running' THEN now() - make_interval(days => $3::int) END
           FROM categories WHERE slug = 'catalogs'
         RETURNING id::text AS id`,
        [mailer[0]!.id, status, ageDays],
      );
    const stuckRunning = (await list('running', 40)).rows[0]!.id;
    const stuckQueued = (await list('queued', 35)).rows[0]!.id;
    const running = (await list('running', 0)).rows[0]!.id;
    for (const id of [stuckRunning, stuckQueued, running]) await root.files.put(`lists/${id}/upload`, Readable.from([Buffer.from('address1\n')]));
    const report = await root.services.purge.purge();
    expect(report.listJobs.stuck).toBe(2);
    expect(report.listJobs.ids.sort()).toEqual([stuckRunning, stuckQueued].sort());
    const { rows } = await root.db.query<{ id: string; status: string; error: string | null; deleted: boolean }>(
      `SELECT id::text AS id, status, error, files_deleted_at IS NOT NULL AS deleted FROM list_jobs WHERE id::text = ANY($1::text[])`,
      [[stuckRunning, stuckQueued, running]],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of [stuckRunning, stuckQueued]) {
      expect(byId.get(id)).toMatchObject({ status: 'failed', deleted: true });
      expect(byId.get(id)!.error).toMatch(/never finished.*retention window/);
      expect(await root.files.exists(`lists/${id}/upload`)).toBe(false);
    }
    // Even with no retention at all, a list running since moments ago is not stuck.
    const none = await createTestRoot({ RETENTION_DAYS: '0' });
    try {
      const fresh = (await none.db.query<{ id: number }>(`INSERT INTO mailers (name) VALUES ('Busy Mailer') RETURNING id`)).rows[0]!.id;
      const { rows: busy } = await none.db.query<{ id: string }>(
        `INSERT INTO list_jobs (mailer_id, category_id, list_name, mode, status, started_at) SELECT $1::int, id, 'busy.csv', 'suppress', 'running', now() - interval '1 hour' FROM categories WHERE slug = 'catalogs' RETURNING id::text AS id`,
        [fresh],
      );
      expect((await none.services.purge.purge()).listJobs.stuck).toBe(0);
      expect((await none.db.query<{ status: string }>(`SELECT status FROM list_jobs WHERE id = $1::uuid`, [busy[0]!.id])).rows[0]!.status).toBe('running');
    } finally {
      await none.cleanup();
    }
    expect(byId.get(running)).toMatchObject({ status: 'running', deleted: false });
  });

  it('deletes the upload of a portal draft never started within retention', async () => {
    const { rows: mailer } = await root.db.query<{ id: number }>(`INSERT INTO mailers (name) VALUES ('Draft Purge Mailer') RETURNING id`);
    const draft = (ageDays: number) =>
      root.db.query<{ id: string }>(
        `INSERT INTO list_jobs (mailer_id, category_id, list_name, mode, status, created_at)
         SELECT $1::int, id, 'draft.csv', 'suppress', 'draft', now() - make_interval(days => $2::int) FROM categories WHERE slug = 'catalogs'
         RETURNING id::text AS id`,
        [mailer[0]!.id, ageDays],
      );
    const old = (await draft(31)).rows[0]!.id;
    const recent = (await draft(1)).rows[0]!.id;
    for (const id of [old, recent]) await root.files.put(`lists/${id}/upload`, Readable.from([Buffer.from('address1\n')]));
    const report = await root.services.purge.purge();
    expect(report.listJobs.ids).toEqual([old]);
    expect(await root.files.exists(`lists/${old}/upload`)).toBe(false);
    expect(await root.files.exists(`lists/${recent}/upload`)).toBe(true);
  });

  it('runs as a job and reports what it deleted as the run result', async () => {
    const expired = await finishedImport(60);
    // The uploads above queued apply-moves jobs; this test is about purging only.
    await root.queues.queue('apply-moves').obliterate({ force: true });
    startWorkers(root);
    await root.queues.queue('purge-expired').add('purge-expired', {});
    const run = await waitFor(async () => (await root.services.schedules.listRuns({ kind: 'purge-expired', outcome: 'completed', limit: 1 }))[0], 15_000, 'the purge run');
    expect(run.result).toMatchObject({ moveImports: { imports: 1, files: 2, ids: [expired] } });
  });
});
