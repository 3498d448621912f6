import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { parseCode } from '../../src/choices/access-code';
import { householdWithCode } from '../support/choices-fixtures';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { memorySink } from '../support/memory-sink';


function rows(text: string): Record<string, string>[] {
  return parse(text, { columns: true });
}

describe('postcard codes (real PostgreSQL)', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await createTestRoot({ CODE_VALIDITY_DAYS: '30' });
  });
  afterAll(() => root.cleanup());

  it('stores only a keyed hash of the code, and accepts the code as people type it with the right ZIP', async () => {
    const { code, deliveryPointId } = await householdWithCode(root, { address1: '1 Hash Way', zip: '02134' });
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    const compact = code.replace('-', '');
    const { rows: stored } = await root.db.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM access_codes a WHERE delivery_point_id = $1::bigint', [deliveryPointId]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.row).not.toContain(compact);
    expect(stored[0]!.row).not.toContain(code);
    expect(stored[0]!.row).toMatch(/"code_hash":"[0-9a-f]{64}"/);

    const typed = `${compact.slice(0, 3).toLowerCase()} ${compact.slice(3)}`;
    expect(await root.services.accessCodes.check(typed, '02134')).toEqual({ ok: true, accessCodeId: expect.any(Number), deliveryPointId });
    // A live code with another ZIP gets the answer an unknown code gets: nothing tells one from the other.
    expect(await root.services.accessCodes.check(code, '02135')).toEqual({ ok: false, field: 'code', reason: 'NO_SUCH_CARD' });
    expect(await root.services.accessCodes.check(code, '2134')).toMatchObject({ ok: false, field: 'zip', reason: 'ZIP_FORMAT' });
    expect(await root.services.accessCodes.check('ABCDE-FGHJ0', '02134')).toMatchObject({ ok: false, field: 'code', reason: 'CODE_FORMAT' });
    expect(await root.services.accessCodes.check('', '02134')).toMatchObject({ ok: false, field: 'code', reason: 'CODE_EMPTY' });
    expect(await root.services.accessCodes.check('ZZZZZ-ZZZZZ', '02134')).toEqual({ ok: false, field: 'code', reason: 'NO_SUCH_CARD' });
  });

  it('gives a code the configured validity and refuses it once expired', async () => {
    const { code, deliveryPointId } = await householdWithCode(root, { address1: '2 Expiry St', zip: '02134' });
    const { rows: found } = await root.db.query<{ days: number }>(
      'SELECT round(extract(epoch FROM expires_at - issued_at) / 86400)::int AS days FROM access_codes WHERE delivery_point_id = $1::bigint',
      [deliveryPointId],
    );
    expect(found[0]!.days).toBe(30);
    await root.db.query("UPDATE access_codes SET expires_at = now() - interval '1 minute' WHERE delivery_point_id = $1::bigint", [deliveryPointId]);
    expect(await root.services.accessCodes.check(code, '02134')).toMatchObject({ ok: false, reason: 'EXPIRED_CODE' });
    // Only the holder of the ZIP learns that the code existed.
    expect(await root.services.accessCodes.check(code, '02135')).toEqual({ ok: false, field: 'code', reason: 'NO_SUCH_CARD' });
  });

  it('revokes the old code when a new one is issued for the same address', async () => {
    const first = await householdWithCode(root, { address1: '3 Reissue Ave', zip: '02139' });
    const second = await root.services.accessCodes.issue(first.deliveryPointId);
    expect(second.code).not.toBe(first.code);
    expect(await root.services.accessCodes.check(first.code, '02139')).toMatchObject({ ok: false, reason: 'REPLACED_CODE' });
    expect(await root.services.accessCodes.check(second.code, '02139')).toMatchObject({ ok: true, deliveryPointId: first.deliveryPointId });
    const { rows: live } = await root.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM access_codes WHERE delivery_point_id = $1::bigint AND revoked_at IS NULL',
      [first.deliveryPointId],
    );
    expect(live[0]!.n).toBe(1);
  });

  it('issues a print file for an address file: every row is printed or rejected with its reason', async () => {
    const input = [
      'Street,Apt,City,State,ZIP',
      '12 Elm St,,Somerville,MA,2144',
      '"45 Maple Avenue",Apt 3B,Boston,MA,02134',
      'Main Street,,Boston,MA,02108',
      '15 Water Lane,,,,',
      '45 Maple Ave.,APT 3B,Boston,MA,02134',
      '7 Extra Field St,,Boston,MA,02134,unexpected',
      '8 Last Rd,,Quincy,MA,02169',
      '"9 Broken ""Quote,,Boston,MA,02134',
    ].join('\n');
    const print = memorySink();
    const rejects = memorySink();
    const summary = await root.services.postcards.issueFromCsv(Readable.from([input]), { print, rejects }, { source: 'test.csv' });
    expect(summary).toMatchObject({ rowsIn: 8, printed: 3, rejected: 5 });
    expect(summary.rowsIn).toBe(summary.printed + summary.rejected);

    const printed = rows(print.text());
    expect(printed.map((row) => [row.line, row.address1, row.zip, row.url])).toEqual([
      ['2', '12 Elm St', '02144', 'http://localhost:3000/'],
      ['3', '45 Maple Avenue', '02134', 'http://localhost:3000/'],
      ['8', '8 Last Rd', '02169', 'http://localhost:3000/'],
    ]);
    for (const row of printed) {
      expect(await root.services.accessCodes.check(row.code, row.zip!)).toMatchObject({ ok: true });
      expect(row.expires_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const rejected = rows(rejects.text());
    expect(rejected.map((row) => [row.line, row.reason])).toEqual([
      ['4', 'NO_PRIMARY_NUMBER'],
      ['5', 'NO_LOCALITY'],
      ['6', 'DUPLICATE_ADDRESS'],
      ['7', 'MALFORMED_ROW'],
      ['9', 'MALFORMED_ROW'],
    ]);
    expect(rejected[3]!.message).toContain('7 Extra Field St');
  });

  it('refuses a file without an address column, naming the columns it found', async () => {
    await expect(
      root.services.postcards.issueFromCsv(Readable.from(['name,zip\nAnn,02134\n']), { print: memorySink(), rejects: memorySink() }, { source: 'bad.csv' }),
    ).rejects.toThrow(/no street address column in the header \(name, zip\)/);
  });

  it('queues lost-card requests once per address and issues them in the next batch', async () => {
    const before = await root.services.postcardRequests.pending();
    expect(await root.services.postcardRequests.request({ address1: '40 Lost Card Ln', zip: '02458' })).toEqual({ ok: true });
    expect(await root.services.postcardRequests.request({ address1: '40 LOST CARD LANE', zip: '02458' })).toEqual({ ok: true });
    expect(await root.services.postcardRequests.request({ address1: 'Nowhere', zip: '02458' })).toEqual({ ok: false, fields: ['address1'] });
    // Every problem at once: no house number and no ZIP (nor city and state).
    expect(await root.services.postcardRequests.request({ address1: 'Nowhere', zip: '' })).toEqual({ ok: false, fields: ['address1', 'zip'] });
    expect(await root.services.postcardRequests.request({ address1: '40 Lost Card Ln', city: 'Newton' })).toEqual({ ok: false, fields: ['zip'] });
    expect(await root.services.postcardRequests.pending()).toBe(before + 1);
    const print = memorySink();
    const summary = await root.services.postcards.issueForRequests({ print, rejects: memorySink() });
    expect(summary).toMatchObject({ rowsIn: before + 1, printed: before + 1, rejected: 0 });
    const printed = rows(print.text());
    const row = printed.find((candidate) => candidate.address1!.includes('LOST CARD'))!;
    expect(parseCode(row.code).ok).toBe(true);
    expect(await root.services.accessCodes.check(row.code, '02458')).toMatchObject({ ok: true });
    expect(await root.services.postcardRequests.pending()).toBe(0);
    // The typed address stays only until the print file is safely stored.
    const held = await root.db.query<{ n: number }>('SELECT count(*) AS n FROM postcard_requests WHERE batch_id = $1::bigint', [summary.batchId]);
    expect(held.rows[0]!.n).toBe(before + 1);
    await root.services.postcards.requestsPrinted(summary.batchId);
    const left = await root.db.query<{ n: number }>('SELECT count(*) AS n FROM postcard_requests');
    expect(left.rows[0]!.n).toBe(0);
  });

  it('gives the requests of a batch whose worker died back to the queue after an hour', async () => {
    await root.services.postcardRequests.request({ address1: '41 Lost Card Ln', zip: '02458' });
    const { rows } = await root.db.query<{ id: number }>("INSERT INTO postcard_batches (source, created_at) VALUES ('died', now() - interval '2 hours') RETURNING id");
    await root.db.query('UPDATE postcard_requests SET batch_id = $1::bigint', [rows[0]!.id]);
    expect(await root.services.postcardRequests.pending()).toBe(1);
    const print = memorySink();
    const summary = await root.services.postcards.issueForRequests({ print, rejects: memorySink() });
    expect(summary).toMatchObject({ printed: 1 });
    expect(print.text()).toContain('41 LOST CARD');
  });

  it("keeps a household's code working when anyone asks for a new card for its address, until the new card's code is first used", async () => {
    const current = await householdWithCode(root, { address1: '42 Asked For Ave', zip: '02458' });
    const session = await root.services.accessCodes.check(current.code, '02458');
    expect(session).toMatchObject({ ok: true });
    // A stranger asks for a card for the address, twice; two cards are printed, one after the other.
    const printed: string[] = [];
    for (let i = 0; i < 2; i++) {
      await root.services.postcardRequests.request({ address1: '42 Asked For Ave', zip: '02458' });
      const print = memorySink();
      const summary = await root.services.postcards.issueForRequests({ print, rejects: memorySink() });
      await root.services.postcards.requestsPrinted(summary.batchId);
      printed.push(rows(print.text()).find((row) => row.address1!.includes('ASKED FOR'))!.code!);
    }
    // Until a new card arrives and is used, the household's own code works, and so does its session.
    expect(await root.services.accessCodes.check(current.code, '02458')).toMatchObject({ ok: true });
    expect(await root.services.accessCodes.isLive((session as { accessCodeId: number }).accessCodeId)).toBe(true);
    // Only the newest card printed counts: the first is replaced by the second.
    expect(await root.services.accessCodes.check(printed[0], '02458')).toMatchObject({ ok: false, reason: 'REPLACED_CODE' });
    // The new card's first use ends the old code (and the sessions opened with it).
    expect(await root.services.accessCodes.check(printed[1], '02458')).toMatchObject({ ok: true, deliveryPointId: current.deliveryPointId });
    expect(await root.services.accessCodes.check(current.code, '02458')).toMatchObject({ ok: false, reason: 'REPLACED_CODE' });
    expect(await root.services.accessCodes.isLive((session as { accessCodeId: number }).accessCodeId)).toBe(false);
    expect(await root.services.accessCodes.check(printed[1], '02458')).toMatchObject({ ok: true });
  });
});
