import { Readable } from 'node:stream';
import { runAddressKey } from '../../src/address/address-key-command';
import { cleanseBytes } from '../support/memory-list';
import { memorySink } from '../support/memory-sink';
import { createTestRoot, type TestRoot } from '../support/test-root';

const sink = memorySink;

/** Two columns of one name: every reader says which, and reads neither, instead of silently the first. */
describe('a column name used twice is an error naming it', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await createTestRoot();
  });
  afterAll(() => root?.cleanup());

  it('the cleanse', async () => {
    await expect(cleanseBytes(Buffer.from('address1,zip,Zip\n1 Main St,78701,02134\n'))).rejects.toThrow(/The header names the column "zip" 2 times \(columns 2, 3\): rename all but one/);
    // a name used twice that is not read is no problem
    await expect(cleanseBytes(Buffer.from('notes,address1,zip,notes\na,1 Main St,78701,b\n'))).resolves.toMatchObject({ counts: { rowsIn: 1 } });
  });

  it('returned cards (a code or a category twice)', async () => {
    await expect(root.services.cardImport.importFile(() => Readable.from(['code,catalogs,Catalogs\nAAAAA-AAAAA,ticked,unticked\n']), 'twice.csv', sink())).rejects.toThrow(
      /the column "catalogs" 2 times \(columns 2, 3\)/,
    );
    await expect(root.services.cardImport.importFile(() => Readable.from(['code,catalogs,code\nAAAAA-AAAAA,ticked,BBBBB-BBBBB\n']), 'twice-code.csv', sink())).rejects.toThrow(
      /the column "code" 2 times \(columns 1, 3\)/,
    );
  });

  it('postcards', async () => {
    await expect(root.services.postcards.issueFromCsv(Readable.from(['address1,zip,address1\n1 Main St,78701,2 Main St\n']), { print: sink(), rejects: sink() }, { source: 'twice.csv' })).rejects.toThrow(
      /the column "address1" 2 times \(columns 1, 3\)/,
    );
  });

  it('moves', async () => {
    const created = await root.services.moves.upload(
      Readable.from([Buffer.from('old_address1,old_zip,new_address1,new_zip,move_date,move_type,choices_follow,move_date\n1 A St,02139,2 B St,10001,2026-10-01,family,no,2026-11-01\n')]),
      'twice.csv',
      { label: 'ops' },
    );
    await expect(root.services.moves.applyImport(created.id)).rejects.toThrow(/the column "move_date" 2 times \(columns 5, 8\)/);
  });

  it('address-key', async () => {
    await expect(runAddressKey(Readable.from(['zip,address1,zip\n78701,1 Main St,02134\n']), sink(), sink())).rejects.toThrow(/the column "zip" 2 times \(columns 1, 3\)/);
  });
});
