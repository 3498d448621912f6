import type { Worker } from 'bullmq';
import { JOB_KINDS, SCHEDULABLE_KINDS } from '../../src/job-kinds';
import { createApp } from '../../src/root';
import { startWorkers } from '../../src/start/worker';
import { createOperator, signedInAgent } from '../support/operator-session';
import { createTestRoot, type TestRoot } from '../support/test-root';

/** The one list of job kinds (src/job-kinds.ts), and everything derived from it. */
describe('the job registry', () => {
  let root: TestRoot;
  let workers: Worker[];

  beforeAll(async () => {
    root = await createTestRoot();
    workers = startWorkers(root);
  });
  afterAll(() => root.cleanup());

  it('names each kind once, the cleanse and its hash queue included', () => {
    const names = JOB_KINDS.map((kind) => kind.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['statistics', 'issue-postcards', 'import-returned-cards', 'purge-expired', 'apply-moves', 'cleanse-list', 'cleanse-list-hash', 'list-webhook']);
    expect(SCHEDULABLE_KINDS.map((kind) => kind.name)).toEqual(names.filter((name) => name !== 'cleanse-list-hash' && name !== 'list-webhook'));
  });

  it('starts one worker per kind, with its own options', () => {
    expect(workers.map((worker) => worker.name)).toEqual(JOB_KINDS.map((kind) => kind.name));
    const hash = workers.find((worker) => worker.name === 'cleanse-list-hash')!;
    expect(hash.opts).toMatchObject({ concurrency: 4, lockDuration: root.config.lists.jobLockMs, stalledInterval: root.config.lists.jobLockMs });
    expect(workers.find((worker) => worker.name === 'statistics')!.opts.concurrency).toBe(root.config.queue.concurrency);
  });

  it('validates schedules against the schedulable kinds and describes each', async () => {
    const { schedules } = root.services;
    expect(schedules.kinds).toEqual(SCHEDULABLE_KINDS.map((kind) => kind.name));
    for (const kind of SCHEDULABLE_KINDS) expect(schedules.describe(kind.name)).toBe(kind.description);
    await expect(schedules.create({ name: 'hashing', kind: 'cleanse-list-hash', pattern: '0 2 * * *', tz: 'UTC' }, { label: 'test' })).rejects.toThrow('Unknown job kind "cleanse-list-hash"');
  });

  it("offers the schedulable kinds in the console's picker, and every queue on Bull Board", async () => {
    const app = createApp(root);
    await createOperator(root, 'kinds@example.org');
    const { agent } = await signedInAgent(app, 'kinds@example.org');
    const form = (await agent.get('/operator/schedules/new')).text;
    const offered = [...form.matchAll(/<option value="([^"]+)"/g)].map(([, value]) => value);
    expect(offered).toEqual(SCHEDULABLE_KINDS.map((kind) => kind.name));
    const board = await agent.get('/operator/queues/api/queues');
    expect(board.status).toBe(200);
    expect((board.body as { queues: { name: string }[] }).queues.map((queue) => queue.name).sort()).toEqual(JOB_KINDS.map((kind) => kind.name).sort());
  });
});
