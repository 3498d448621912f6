import fs from 'node:fs';
import { Readable } from 'node:stream';
import { startWorkers } from '../../src/start/worker';
import { DEMO_CODES, loadSampleChoices } from '../../src/choices/sample-data';
import { projectPath } from '../../src/lib/project-path';
import { householdWithCode } from '../support/choices-fixtures';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { csvSink } from '../support/csv-sink';


const text = (value: string) => () => Readable.from([value]);

describe('returned-card import (real PostgreSQL)', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await createTestRoot({ LOAD_SAMPLE_DATA: 'true' });
  });
  afterAll(() => root.cleanup());

  it('applies the sample card file to the demo codes, and rejects each bad row with its reason and line', async () => {
    expect(await loadSampleChoices({ ...root.services, loadSampleData: root.config.loadSampleData, logger: root.logger })).toEqual({ code: DEMO_CODES[0], zip: '02134' });
    const report = csvSink();
    const file = projectPath('sample-data/returned-cards.csv');
    const summary = await root.services.cardImport.importFile(() => fs.createReadStream(file), file, report);
    expect(summary).toMatchObject({ alreadyImported: false, rowsIn: 7, applied: 3, rejected: 4 });
    expect(report.rows().map((row) => [row.line, row.reason])).toEqual([
      ['5', 'UNREADABLE_MARK'],
      ['6', 'NO_MARKS'],
      ['7', 'UNKNOWN_CODE'],
      ['8', 'MALFORMED_ROW'],
    ]);
    expect(report.rows()[0]!.message).toContain('credit-insurance-offers ("smudged")');
    // The report shows only the last characters of a code.
    expect(report.rows().map((row) => row.code).join(' ')).not.toMatch(/T4CWE/);

    // Card 2 (line 2) belongs to the second sample address: its choices are now on record.
    const found = await root.services.choices.findByAddress({ address1: '12 Elm St', zip: '02144' });
    const history = await root.services.choices.history(found.ok ? found.deliveryPoint!.id : -1);
    expect(history.map((event) => [event.slug, event.accepted, event.source])).toEqual([
      ['catalogs', false, 'card'],
      ['credit-insurance-offers', false, 'card'],
      ['coupons-retail', true, 'card'],
      ['magazines-subscriptions', true, 'card'],
      ['charity-nonprofit', true, 'card'],
      ['political', false, 'card'],
      ['other', false, 'card'],
    ]);
    expect(history[0]!.actor).toBe(`card-file:${summary.sha256.slice(0, 12)}:line:2`);

    // The same file again: nothing applied twice, the same report.
    const events = await root.db.query<{ n: number }>('SELECT count(*) AS n FROM preference_events');
    const again = csvSink();
    const second = await root.services.cardImport.importFile(() => fs.createReadStream(file), 'copy-of-the-file.csv', again);
    expect(second).toMatchObject({ alreadyImported: true, importId: summary.importId, rowsIn: 7, applied: 3, rejected: 4 });
    expect(again.rows()).toEqual(report.rows());
    expect((await root.db.query<{ n: number }>('SELECT count(*) AS n FROM preference_events')).rows[0]!.n).toBe(events.rows[0]!.n);
  });

  it('rejects cards whose code expired or was replaced by a newer card', async () => {
    const expired = await householdWithCode(root, { address1: '20 Old Card Rd', zip: '02134' });
    await root.db.query("UPDATE access_codes SET expires_at = now() - interval '1 day' WHERE delivery_point_id = $1::bigint", [expired.deliveryPointId]);
    const replaced = await householdWithCode(root, { address1: '21 Old Card Rd', zip: '02134' });
    await root.services.accessCodes.issue(replaced.deliveryPointId);
    const report = csvSink();
    const summary = await root.services.cardImport.importFile(text(`code,catalogs\n${expired.code},unticked\n${replaced.code},unticked\n`), 'old.csv', report);
    expect(summary).toMatchObject({ rowsIn: 2, applied: 0, rejected: 2 });
    expect(report.rows().map((row) => row.reason)).toEqual(['EXPIRED_CODE', 'REPLACED_CODE']);
  });

  it('refuses a malformed file as a whole, naming the bad header, and applies nothing', async () => {
    const household = await householdWithCode(root, { address1: '22 Header St', zip: '02134' });
    const before = (await root.services.choices.history(household.deliveryPointId)).length;
    await expect(
      root.services.cardImport.importFile(text(`code,catalogs,junk-mail\n${household.code},unticked,ticked\n`), 'bad-header.csv', csvSink()),
    ).rejects.toThrow(/line 1: unknown column\(s\) "junk-mail"/);
    await expect(root.services.cardImport.importFile(text(`catalogs,political\nticked,ticked\n`), 'no-code.csv', csvSink())).rejects.toThrow(/no "code" column/);
    await expect(root.services.cardImport.importFile(text(''), 'empty.csv', csvSink())).rejects.toThrow(/empty/);
    expect(await root.services.choices.history(household.deliveryPointId)).toHaveLength(before);
  });

  it('resumes an import that died mid-way without applying any row twice', async () => {
    const a = await householdWithCode(root, { address1: '30 Resume Ave', zip: '02139' });
    const b = await householdWithCode(root, { address1: '31 Resume Ave', zip: '02139' });
    const content = `code,catalogs,political\n${a.code},unticked,unticked\n${b.code},unticked,\n`;
    let opened = 0;
    const dying = () => {
      opened += 1;
      // First open hashes the file; the second (the read) dies after the first row.
      if (opened !== 2) return Readable.from([content]);
      const stream = new Readable({ read() {} });
      stream.push(content.slice(0, content.lastIndexOf('\n', content.length - 2) + 4));
      // The "worker" dies once the first row is on record.
      const poll: NodeJS.Timeout = setInterval(async () => {
        const { rows } = await root.db.query<{ n: number }>(
          "SELECT count(*) AS n FROM card_import_rows r JOIN card_imports i ON i.id = r.import_id WHERE i.file_name = 'resume.csv'",
        );
        if (rows[0]!.n >= 1) {
          clearInterval(poll);
          stream.destroy(new Error('worker killed'));
        }
      }, 10);
      return stream;
    };
    await expect(root.services.cardImport.importFile(dying, 'resume.csv', csvSink())).rejects.toThrow('worker killed');
    expect(await root.services.choices.history(a.deliveryPointId)).toHaveLength(2);
    expect(await root.services.choices.history(b.deliveryPointId)).toHaveLength(0);

    const summary = await root.services.cardImport.importFile(text(content), 'resume.csv', csvSink());
    expect(summary).toMatchObject({ alreadyImported: false, rowsIn: 2, applied: 2, rejected: 0 });
    expect(await root.services.choices.history(a.deliveryPointId)).toHaveLength(2);
    expect(await root.services.choices.history(b.deliveryPointId)).toHaveLength(1);
  });

  it('runs the import-returned-cards and issue-postcards jobs through BullMQ, failing bad input without retries', async () => {
    startWorkers(root);
    const household = await householdWithCode(root, { address1: '40 Queue St', zip: '02169' });
    await root.files.put('uploads/cards-1.csv', Readable.from([`code,other\n${household.code},unticked\nZZZZZ-ZZZZZ,ticked\n`]));
    const cardEvents = root.queues.queueEvents('import-returned-cards');
    await cardEvents.waitUntilReady();
    const job = await root.queues.queue('import-returned-cards').add('import', { inputKey: 'uploads/cards-1.csv' });
    const result = await job.waitUntilFinished(cardEvents, 20_000);
    expect(result).toMatchObject({ rowsIn: 2, applied: 1, rejected: 1, rejectsKey: `cards/job-${job.id}/rejects.csv` });
    const rejects = await new Promise<string>((resolve) => {
      let out = '';
      root.files.get(result.rejectsKey).on('data', (chunk) => (out += chunk)).on('end', () => resolve(out));
    });
    expect(rejects).toContain('UNKNOWN_CODE');

    const bad = await root.queues.queue('import-returned-cards').add('import', { inputKey: 'uploads/missing.csv' });
    await expect(bad.waitUntilFinished(cardEvents, 20_000)).rejects.toThrow(/no stored file "uploads\/missing.csv"/);
    const failed = await root.queues.queue('import-returned-cards').getJob(bad.id!);
    expect(failed!.attemptsMade).toBe(1);

    await root.files.put('uploads/addresses-1.csv', Readable.from(['address,zip\n50 Print St,02169\nPrint St,02169\n']));
    const postcardEvents = root.queues.queueEvents('issue-postcards');
    await postcardEvents.waitUntilReady();
    const issue = await root.queues.queue('issue-postcards').add('issue', { inputKey: 'uploads/addresses-1.csv' });
    const issued = await issue.waitUntilFinished(postcardEvents, 20_000);
    expect(issued).toMatchObject({ rowsIn: 2, printed: 1, rejected: 1, printFileKey: `postcards/job-${issue.id}/print-file.csv` });
    expect(await root.files.exists(issued.rejectsKey)).toBe(true);
  });
});
