import { startWorkers } from '../../src/start/worker';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { recordChoice } from '../support/preferences';

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

  it('counts households accepting and refusing each category, and charts the opt-out share over time', async () => {
    const before = await root.services.statistics.takeSnapshot();
    await recordChoice(root.db, { address1: '1 Main St', zip: '12345' }, 'catalogs', false);
    await recordChoice(root.db, { address1: '2 Main St', zip: '12345' }, 'catalogs', false);
    await recordChoice(root.db, { address1: '3 Main St', zip: '12345' }, 'catalogs', true);
    await recordChoice(root.db, { address1: '3 Main St', zip: '12345' }, 'political', false);
    await recordChoice(root.db, { address1: '4 Main St', zip: '12345' }, 'political', false);
    await recordChoice(root.db, { address1: '4 Main St', zip: '12345' }, 'political', true);
    const after = await root.services.statistics.takeSnapshot();

    expect(after.figures.households).toBe(4);
    const bySlug = Object.fromEntries(after.figures.categories.list.map((category) => [category.slug, category]));
    expect(bySlug.catalogs).toMatchObject({ refusing: 2, accepting: 2 });
    expect(bySlug.political).toMatchObject({ refusing: 1, accepting: 3 });
    expect(bySlug['coupons-retail']).toMatchObject({ refusing: 0, accepting: 4 });
    // The list-cleansing tables are read when they exist; otherwise the figure is null, not an error.
    const hasLists = (await root.db.query<{ found: boolean }>(`SELECT to_regclass('list_jobs') IS NOT NULL AS found`)).rows[0]!.found;
    if (hasLists) expect(after.figures.lists).toMatchObject({ cleansed: 0, rowsProcessed: 0, piecesSuppressed: 0 });
    else expect(after.figures.lists).toBeNull();

    const series = await root.services.statistics.optOutSeries();
    const catalogs = series.find((entry) => entry.slug === 'catalogs')!;
    expect(catalogs.points.map((point) => point.at)).toEqual(expect.arrayContaining([before.takenAt, after.takenAt]));
    expect(catalogs.points[catalogs.points.length - 1]).toMatchObject({ share: 0.5, refusing: 2, households: 4 });
  });
});
