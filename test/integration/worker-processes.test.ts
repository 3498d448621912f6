import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { createRedisConnection } from '../../src/lib/redis';
import { alive, forkedProcessesOf, startMailpref } from '../support/forked-processes';
import { createTestDatabase } from '../support/test-root';
import { waitFor } from '../support/wait-for';


describe('mailpref worker with WORKER_PROCESSES=2 (real PostgreSQL and Redis)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const started: ChildProcess[] = [];
  const prefix = `test-${randomBytes(6).toString('hex')}`;

  const startPrimary = async (): Promise<{ primary: ChildProcess; output: () => string }> => {
    const { child: primary, output } = await startMailpref(
      'worker',
      { DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL!, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', WORKER_PROCESSES: '2', WORKER_CONCURRENCY: '1' },
      'worker processes started',
    );
    started.push(primary);
    return { primary, output };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    await database.drop();
  });

  it('forks two processes with the GC flag that both take jobs, replaces one that dies, and stops them all on SIGTERM', async () => {
    const { primary, output } = await startPrimary();
    const forked = forkedProcessesOf(primary.pid!, 'worker');
    expect(forked).toHaveLength(2);
    for (const each of forked) expect(each.args).toContain('--single-threaded-gc');

    // Jobs reach both processes (an operator's "run now" of cleanse-list: re-queue waiting lists).
    const redis = createRedisConnection(process.env.REDIS_URL!);
    const queue = new Queue('cleanse-list', { connection: redis, prefix });
    try {
      const jobs = await Promise.all(Array.from({ length: 20 }, () => queue.add('cleanse', {})));
      const logged = () => output().split('\n').filter((line) => line.includes('"job completed"')).map((line) => (JSON.parse(line) as { pid: number }).pid);
      await waitFor(async () => logged().length >= 20 || undefined, 30_000, '20 jobs to complete');
      for (const job of jobs) expect(await queue.getJobState(job.id!)).toBe('completed');
      expect([...new Set(logged())].sort()).toEqual(forked.map((each) => each.pid).sort());
    } finally {
      await queue.close();
      redis.disconnect();
    }

    // A worker process that dies is replaced by another, with the same flags.
    process.kill(forked[0]!.pid, 'SIGKILL');
    const replaced = await waitFor(
      async () => {
        const now = forkedProcessesOf(primary.pid!, 'worker');
        return now.length === 2 && !now.some((each) => each.pid === forked[0]!.pid) ? now : undefined;
      },
      30_000,
      'a replacement process',
    );
    expect(replaced.every((each) => each.args.includes('--single-threaded-gc'))).toBe(true);
    await waitFor(async () => output().split('\n').filter((line) => line.includes('"workers started"')).length >= 3 || undefined, 30_000, 'the replacement to start its workers');

    const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(replaced.map((each) => each.pid).filter(alive)).toEqual([]);
  }, 120_000);

  it('takes its worker processes down with it when it is killed', async () => {
    const { primary } = await startPrimary();
    const forked = forkedProcessesOf(primary.pid!, 'worker');
    expect(forked).toHaveLength(2);
    primary.kill('SIGKILL');
    await waitFor(async () => forked.every((each) => !alive(each.pid)) || undefined, 30_000, 'the forked processes to exit');
  }, 120_000);
});
