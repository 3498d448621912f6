import type { Worker } from 'bullmq';
import { startWorkers } from '../../src/start/worker';
import { schedulerId } from '../../src/schedules/run-recorder';
import type { JobRun } from '../../src/schedules/job-runs-store';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { waitFor } from '../support/wait-for';

const actor = { label: 'tester@example.com' };

describe('schedules', () => {
  let root: TestRoot;
  let workers: Worker[];

  beforeAll(async () => {
    root = await createTestRoot();
  });
  afterAll(() => root.cleanup());

  it('creates, lists, edits and deletes a schedule, keeping BullMQ in step with Postgres', async () => {
    const schedules = root.services.schedules;
    const created = await schedules.create({ name: 'nightly-purge', kind: 'purge-expired', pattern: '0 2 * * *', tz: 'America/New_York' }, actor);
    const queue = root.queues.queue('purge-expired');
    const scheduler = await queue.getJobScheduler(schedulerId(created.id));
    expect(scheduler).toMatchObject({ pattern: '0 2 * * *', tz: 'America/New_York' });
    // 02:00 in New York is 06:00 or 07:00 UTC depending on daylight saving time.
    expect([6, 7]).toContain(new Date(scheduler!.next!).getUTCHours());

    const [listed] = await schedules.list();
    expect(listed).toMatchObject({ name: 'nightly-purge', kind: 'purge-expired', paused: false, nextRunAt: new Date(scheduler!.next!) });

    await schedules.update(created.id, { name: 'nightly-stats', kind: 'statistics', pattern: '30 3 * * *', tz: 'UTC', data: '{"note":"x"}' }, actor);
    expect(await queue.getJobScheduler(schedulerId(created.id))).toBeUndefined();
    const moved = await root.queues.queue('statistics').getJobScheduler(schedulerId(created.id));
    expect(moved).toMatchObject({ pattern: '30 3 * * *', tz: 'UTC' });
    expect(moved!.template?.data).toEqual({ note: 'x', scheduleId: created.id });

    await schedules.remove(created.id, actor);
    expect(await root.queues.queue('statistics').getJobScheduler(schedulerId(created.id))).toBeUndefined();
    expect(await schedules.list()).toEqual([]);

    const audit = (await root.services.audit.list()).map((entry) => `${entry.actor} ${entry.action} ${entry.targetId}`);
    expect(audit).toEqual(['tester@example.com schedule.delete nightly-stats', 'tester@example.com schedule.update nightly-stats', 'tester@example.com schedule.create nightly-purge']);
  });

  it('rejects bad input with a message naming the field', async () => {
    const schedules = root.services.schedules;
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ name: 'Bad Name', kind: 'statistics', pattern: '* * * * *' }, 'name', /lowercase/],
      [{ name: 'x', kind: 'mow-the-lawn', pattern: '* * * * *' }, 'kind', /Unknown job kind "mow-the-lawn"/],
      [{ name: 'x', kind: 'statistics', pattern: '61 * * * *' }, 'pattern', /not valid/],
      [{ name: 'x', kind: 'statistics', pattern: '* * *' }, 'pattern', /has 3 fields/],
      [{ name: 'x', kind: 'statistics', pattern: '* * * * *', tz: 'Mars/Olympus' }, 'tz', /not a time zone/],
      [{ name: 'x', kind: 'statistics', pattern: '* * * * *', data: '[1]' }, 'data', /JSON object/],
    ];
    for (const [input, field, message] of cases) {
      const error = await schedules.create(input, actor).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ statusCode: 400, details: { field } });
      expect((error as Error).message).toMatch(message);
    }
    await schedules.create({ name: 'dup', kind: 'statistics', pattern: '0 0 * * *' }, actor);
    await expect(schedules.create({ name: 'dup', kind: 'statistics', pattern: '0 1 * * *' }, actor)).rejects.toMatchObject({ statusCode: 409 });
    await schedules.remove((await schedules.getByName('dup')).id, actor);
  });

  it('previews the next five run times in the time zone', () => {
    const times = root.services.schedules.preview('0 9 * * 1', 'Europe/Paris');
    expect(times).toHaveLength(5);
    for (const time of times) {
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', hour12: false }).format(time)).toBe('Mon, 09');
    }
    expect(times[1]!.getTime() - times[0]!.getTime()).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000 - 3600 * 1000);
  });

  it('fires a per-second schedule, records each run, stops when paused and fires again when resumed', async () => {
    workers = startWorkers(root);
    const schedules = root.services.schedules;
    const schedule = await schedules.create({ name: 'every-second', kind: 'statistics', pattern: '* * * * * *', tz: 'UTC' }, actor);
    const completed = () => schedules.listRuns({ scheduleId: schedule.id, outcome: 'completed', limit: 100 });
    const firstRuns = await waitFor(async () => ((await completed()).length >= 2 ? completed() : undefined), 15_000, 'two scheduled runs');
    const run = firstRuns[0]!;
    expect(run).toMatchObject({ kind: 'statistics', jobName: 'every-second', scheduleId: schedule.id, outcome: 'completed', failureReason: null });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.result).toMatchObject({ snapshotId: expect.any(Number), categories: 7 });
    expect((await schedules.get(schedule.id)).lastRun?.outcome).toBeDefined();

    await schedules.pause(schedule.id, actor);
    expect(await root.queues.queue('statistics').getJobScheduler(schedulerId(schedule.id))).toBeUndefined();
    expect((await schedules.get(schedule.id)).paused).toBe(true);
    // A job already delayed for the next second may still run; after that, nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const afterPause = (await schedules.listRuns({ scheduleId: schedule.id, limit: 100 })).length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await schedules.listRuns({ scheduleId: schedule.id, limit: 100 })).length).toBe(afterPause);

    await schedules.resume(schedule.id, actor);
    await waitFor(async () => ((await completed()).length > afterPause ? true : undefined), 10_000, 'a run after resuming');
    await schedules.remove(schedule.id, actor);
  });

  it('runs a schedule now, records a failed run with its reason, and retries it from the stored data', async () => {
    const schedules = root.services.schedules;
    // A paused apply-moves schedule whose data names an import that does not exist: runs fail.
    const schedule = await schedules.create({ name: 'broken-moves', kind: 'apply-moves', pattern: '0 0 1 1 *', tz: 'UTC', data: '{"importId": 999999}' }, actor);
    await schedules.pause(schedule.id, actor);
    await schedules.runNow(schedule.id, actor);
    const failed = await waitFor(async () => {
      const [run] = await schedules.listRuns({ scheduleId: schedule.id, limit: 1 });
      return run && run.outcome === 'failed' && !run.willRetry ? run : undefined;
    }, 20_000, 'the failed run');
    expect(failed.failureReason).toContain('No move import 999999');

    // Redis forgets the job (retention); the run in Postgres can still be retried.
    await root.queues.queue('apply-moves').remove(failed.jobId);
    const retriedJobId = await schedules.retryRun(failed.id, actor);
    expect(retriedJobId).not.toBe(failed.jobId);
    const retried = await waitFor(async () => {
      const runs = await schedules.listRuns({ kind: 'apply-moves', limit: 50 });
      return runs.find((run: JobRun) => run.jobId === retriedJobId && run.outcome === 'failed');
    }, 20_000, 'the retried run');
    expect(retried.data).toEqual({ importId: 999999, scheduleId: schedule.id });
    await expect(schedules.retryRun((await schedules.listRuns({ outcome: 'completed', limit: 1 }))[0]!.id, actor)).rejects.toMatchObject({ statusCode: 400 });

    const actions = (await root.services.audit.list({ limit: 500 })).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['schedule.pause', 'schedule.resume', 'schedule.run-now', 'run.retry']));
    await Promise.all(workers.map((worker) => worker.close()));
  });

  it('reconciles BullMQ with Postgres: reinstalls active schedules and drops schedulers of paused ones', async () => {
    const schedules = root.services.schedules;
    const active = await schedules.create({ name: 'keep-me', kind: 'statistics', pattern: '0 4 * * *' }, actor);
    const paused = await schedules.create({ name: 'paused-one', kind: 'statistics', pattern: '0 5 * * *' }, actor);
    await schedules.pause(paused.id, actor);
    const queue = root.queues.queue('statistics');
    await queue.removeJobScheduler(schedulerId(active.id));
    await queue.upsertJobScheduler(schedulerId(paused.id), { pattern: '0 5 * * *' });
    await schedules.reconcile();
    expect(await queue.getJobScheduler(schedulerId(active.id))).toMatchObject({ pattern: '0 4 * * *' });
    expect(await queue.getJobScheduler(schedulerId(paused.id))).toBeUndefined();
  });
});
