import { startWorkers } from '../../jobs/worker';
import { createTestRoot, type TestRoot } from '../support/test-root';

describe('a job round trip through BullMQ', () => {
  let root: TestRoot;

  beforeAll(async () => {
    root = await createTestRoot();
    startWorkers(root);
  });
  afterAll(() => root.cleanup());

  it('runs the statistics job in a worker and records a snapshot', async () => {
    const events = root.queues.queueEvents('statistics');
    await events.waitUntilReady();
    const job = await root.queues.queue('statistics').add('snapshot', {});
    const result = await job.waitUntilFinished(events, 15_000);
    expect(result).toEqual({ snapshotId: expect.any(Number), takenAt: expect.any(String), categories: 7 });
    const [snapshot] = await root.services.statistics.latest(1);
    expect(snapshot!.id).toBe(result.snapshotId);
    expect(snapshot!.figures.categories).toMatchObject({ total: 7, active: 7, retired: 0 });
  });
});
