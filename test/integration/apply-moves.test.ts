import fs from 'node:fs';
import { Readable } from 'node:stream';
import { projectPath } from '../../src/lib/project-path';
import { text } from 'node:stream/consumers';
import { startWorkers } from '../../src/start/worker';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { choicesAt, recordChoice } from '../support/preferences';
import { waitFor } from '../support/wait-for';

const actor = { label: 'ops@example.com' };
const HEADER = 'old_address1,old_address2,old_city,old_state,old_zip,new_address1,new_address2,new_city,new_state,new_zip,move_date,move_type,choices_follow';

const oldFamily = { address1: '12 Elm Street', zip: '02139' };
const newFamily = { address1: '400 Oak Avenue', address2: 'Apt 3', zip: '10001' };
const oldStayer = { address1: '77 Birch Road', zip: '60601' };
const newStayer = { address1: '5 Pine Lane', zip: '94110' };
const oldIndividual = { address1: '9 Cedar Court', zip: '30301' };
const newIndividual = { address1: '1 Maple Drive', zip: '73301' };

describe('apply-moves', () => {
  let root: TestRoot;

  beforeAll(async () => {
    root = await createTestRoot();
    startWorkers(root);
    await recordChoice(root.db, oldFamily, 'catalogs', false);
    await recordChoice(root.db, oldFamily, 'political', false);
    await recordChoice(root.db, oldFamily, 'coupons-retail', true);
    await recordChoice(root.db, oldStayer, 'catalogs', false);
    await recordChoice(root.db, oldIndividual, 'charity-nonprofit', false);
  });
  afterAll(() => root.cleanup());

  async function importFile(content: string) {
    const events = root.queues.queueEvents('apply-moves');
    await events.waitUntilReady();
    const created = await root.services.moves.upload(Readable.from([Buffer.from(content)]), 'moves.csv', actor);
    const job = (await root.queues.queue('apply-moves').getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).find(
      (candidate) => candidate.data.importId === created.id,
    )!;
    await job.waitUntilFinished(events, 20_000).catch(() => undefined);
    return root.services.moves.get(created.id);
  }

  const file = [
    HEADER,
    '12 Elm St,,Cambridge,MA,02139,400 Oak Ave,Apt 3,New York,NY,10001,2026-10-01,family,yes',
    '77 Birch Rd,,Chicago,IL,60601,5 Pine Ln,,San Francisco,CA,94110,2026-10-02,family,no',
    '9 Cedar Ct,,Atlanta,GA,30301,1 Maple Dr,,Austin,TX,73301,2026-10-03,individual,yes',
    'PO Nowhere,,,,,,,,,,2026-10-03,family,no',
    '3 Ash St,,,,02139,,,,,,2026-13-40,family,no',
    '3 Ash St,,,,02139,,,,,,2026-10-04,sideways,no',
    '3 Ash St,,,,02139,,,,,,2026-10-04,family,maybe',
    '3 Ash St,,,,02139,,,,,,2026-10-04,family,yes',
    '3 Ash St,,,02139,2026-10-04',
  ].join('\n');

  it('ends choices at the old address of a family move and carries them to the new address only when asked', async () => {
    const result = await importFile(file);
    expect(result).toMatchObject({ status: 'completed', rowsIn: 9, rowsApplied: 3, rowsAlready: 0, rowsRejected: 6 });

    // Family, choices follow: the old address is back to "never answered"; the new one has them.
    expect(await choicesAt(root.db, oldFamily)).toEqual({});
    expect(await choicesAt(root.db, newFamily)).toEqual({ catalogs: false, 'coupons-retail': true, political: false });
    // Family, choices do not follow: ended at the old address, nothing at the new one.
    expect(await choicesAt(root.db, oldStayer)).toEqual({});
    expect(await choicesAt(root.db, newStayer)).toEqual({});
    // Individual: the rest of the household stays, so the old address keeps its choices; they follow the mover.
    expect(await choicesAt(root.db, oldIndividual)).toEqual({ 'charity-nonprofit': false });
    expect(await choicesAt(root.db, newIndividual)).toEqual({ 'charity-nonprofit': false });
    expect(result).toMatchObject({ choicesEnded: 4, choicesCarried: 4 });

    // Every change is a `move` event that names the import and line.
    const { rows } = await root.db.query<{ accepted: boolean; previous: boolean | null; actor: string }>(
      `SELECT e.accepted, e.previous, e.actor FROM preference_events e JOIN categories c ON c.id = e.category_id
        WHERE e.source = 'move' AND c.slug = 'political' ORDER BY e.id`,
    );
    expect(rows).toEqual([
      { accepted: true, previous: false, actor: `move-import:${result.id} line 2` },
      { accepted: false, previous: null, actor: `move-import:${result.id} line 2` },
    ]);
  });

  it('writes a reject report naming the line and reason of every unreadable row', async () => {
    const [latest] = await root.services.moves.list(1);
    const report = await text((await root.services.moves.rejectReport(latest!.id)).stream);
    const lines = report.trim().split('\n');
    expect(lines[0]).toBe('line,reason,message,fields');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      '5,OLD_ADDRESS_UNREADABLE',
      '6,BAD_MOVE_DATE',
      '7,BAD_MOVE_TYPE',
      '8,BAD_CHOICES_FOLLOW',
      '9,NEW_ADDRESS_UNREADABLE',
      '10,MALFORMED_ROW',
    ]);
    expect(report).toContain('move_date ""2026-13-40"" is not a date written YYYY-MM-DD');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await root.db.query<{ n: number }>('SELECT count(*) AS n FROM preference_events');
    const again = await importFile(file);
    expect(again).toMatchObject({ status: 'completed', rowsIn: 9, rowsApplied: 0, rowsAlready: 3, rowsRejected: 6, choicesEnded: 0, choicesCarried: 0 });
    const after = await root.db.query<{ n: number }>('SELECT count(*) AS n FROM preference_events');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect(await choicesAt(root.db, newFamily)).toEqual({ catalogs: false, 'coupons-retail': true, political: false });
  });

  it('fails the job without retrying when the file lacks a required column, and says which', async () => {
    const failed = await importFile('old_address1,old_zip,move_date\n1 Main St,12345,2026-01-01\n');
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('no new_address1, move_type, choices_follow columns');
    const run = await waitFor(async () => (await root.services.schedules.listRuns({ kind: 'apply-moves', outcome: 'failed', limit: 1 }))[0], 5_000, 'the failed run');
    expect(run).toMatchObject({ willRetry: false, attempt: 1 });
    expect(run!.failureReason).toContain('new_address1');
  });

  it('applies the sample change-of-address file the README uses', async () => {
    const result = await importFile(fs.readFileSync(projectPath('sample-data/moves.csv'), 'utf8'));
    expect(result).toMatchObject({ status: 'completed', rowsIn: 5, rowsApplied: 3, rowsRejected: 2 });
  });
});
