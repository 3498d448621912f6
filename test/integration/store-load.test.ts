import { Readable } from 'node:stream';
import { CategoriesStore } from '../../src/categories/categories-store';
import { StoreLoadService } from '../../src/choices/store-load-service';
import { csvSink } from '../support/csv-sink';
import { createTestRoot, type TestRoot } from '../support/test-root';

const FILE = [
  'address1,address2,city,state,zip,catalogs,credit-insurance-offers',
  '100 Main Street,,Springfield,IL,62704,refuse,', // line 2
  '12 Oak Ave,Apt 4B,Portland,OR,97205,accept,refuse', // line 3
  '7 Cedar Rd,,Austin,TX,78701,,', // line 4: a point without choices
  ',,,,,refuse,', // line 5: no address
  '9 Elm St,,Boston,MA,02116,maybe,', // line 6: an unreadable choice
  '"1 Pine St,,Denver,CO,80202,refuse,', // line 7: a quote left open
  '100 MAIN ST,,Springfield,IL,62704-1234,,refuse', // line 8: line 2's delivery point again
  '',
].join('\n');

describe('mailpref store load (real PostgreSQL)', () => {
  let root: TestRoot;
  let loader: StoreLoadService;
  const count = async (table: string) => Number((await root.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  const pointOf = async (address1: string, zip: string) => {
    const found = await root.services.choices.findByAddress({ address1, zip });
    if (!found.ok || !found.deliveryPoint) throw new Error(`${address1} not in the store`);
    return found.deliveryPoint.id;
  };
  beforeAll(async () => {
    root = await createTestRoot();
    loader = new StoreLoadService(root.db, new CategoriesStore(root.db));
  });
  afterAll(() => root.cleanup());

  it('loads points and choices as events with source load naming the line, rejects each unreadable row with its line and reason, and accounts for every row', async () => {
    const report = csvSink();
    const summary = await loader.load(Readable.from([FILE]), 'points.csv', report);
    expect(summary).toMatchObject({ rowsIn: 7, loaded: 4, rejected: 3, pointsCreated: 3, eventsWritten: 4 });
    expect(summary.rejectedByReason).toEqual({ NO_STREET: 1, UNREADABLE_CHOICE: 1, MALFORMED_ROW: 1 });
    expect(report.rows().map((row) => [row.line, row.reason])).toEqual([
      ['5', 'NO_STREET'],
      ['6', 'UNREADABLE_CHOICE'],
      ['7', 'MALFORMED_ROW'],
    ]);
    expect(report.rows()[1]!.message).toContain('"maybe"');

    const main = await root.services.choices.history(await pointOf('100 Main St', '62704'));
    // Line 2 refused catalogs; line 8, the same delivery point, refused credit offers.
    expect(main.map((event) => [event.slug, event.accepted, event.previous, event.source, event.actor, event.reference])).toEqual([
      ['catalogs', false, null, 'load', `load:${summary.sha256.slice(0, 12)}:line:2`, `load-${summary.loadId}`],
      ['credit-insurance-offers', false, null, 'load', `load:${summary.sha256.slice(0, 12)}:line:8`, `load-${summary.loadId}`],
    ]);
    const oak = await root.services.choices.view(await pointOf('12 Oak Ave Apt 4B', '97205'));
    expect(oak.choices.filter((c) => c.accepted !== null).map((c) => [c.slug, c.accepted])).toEqual([
      ['catalogs', true],
      ['credit-insurance-offers', false],
    ]);
    expect(await root.services.choices.history(await pointOf('7 Cedar Rd', '78701'))).toEqual([]);
    const { rows } = await root.db.query('SELECT file_name, sha256, rows_in, loaded, rejected, points_created, events_written FROM store_loads');
    expect(rows).toEqual([{ file_name: 'points.csv', sha256: summary.sha256, rows_in: 7, loaded: 4, rejected: 3, points_created: 3, events_written: 4 }]);
  });

  it('changes nothing when the same file is loaded again', async () => {
    const before = { points: await count('delivery_points'), events: await count('preference_events'), preferences: await count('preferences') };
    const summary = await loader.load(Readable.from([FILE]), 'points.csv', csvSink());
    expect(summary).toMatchObject({ rowsIn: 7, loaded: 4, rejected: 3, pointsCreated: 0, eventsWritten: 0 });
    expect({ points: await count('delivery_points'), events: await count('preference_events'), preferences: await count('preferences') }).toEqual(before);
  });

  it("updates an earlier load's choice, as an event from what it was, but never a household's own choice", async () => {
    const oak = await pointOf('12 Oak Ave Apt 4B', '97205');
    const main = await pointOf('100 Main St', '62704');
    // The household at Main St now accepts catalogs on the form.
    await root.services.choices.recordChoices({ deliveryPointId: main, choices: { catalogs: true }, source: 'web', actor: 'test' });
    const file = 'address1,address2,zip,catalogs\n100 Main St,,62704,refuse\n12 Oak Ave,Apt 4B,97205,refuse\n';
    const summary = await loader.load(Readable.from([file]), 'second.csv', csvSink());
    expect(summary).toMatchObject({ rowsIn: 2, loaded: 2, rejected: 0, pointsCreated: 0, eventsWritten: 1 });
    const oakHistory = await root.services.choices.history(oak);
    expect(oakHistory.at(-1)).toMatchObject({ slug: 'catalogs', accepted: false, previous: true, source: 'load', actor: `load:${summary.sha256.slice(0, 12)}:line:3` });
    const mainView = await root.services.choices.view(main);
    expect(mainView.choices.find((c) => c.slug === 'catalogs')!.accepted).toBe(true);
  });

  it('refuses a file whose header names an unknown column, and loads nothing', async () => {
    const before = await count('store_loads');
    await expect(loader.load(Readable.from(['address1,zip,catalog\n1 Main St,62704,refuse\n']), 'bad.csv', csvSink())).rejects.toThrow(/unknown column\(s\) "catalog"/);
    expect(await count('store_loads')).toBe(before);
  });
});
