import { cliAction } from '../../src/lib/cli-commands';
import { ListInputError } from '../../src/lists/cleanse';
import { MoveFileError } from '../../src/moves/move-file-reader';

describe('cliAction', () => {
  let written: string[];
  let write: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    write.mockRestore();
    process.exitCode = undefined;
  });

  it.each([
    ['a list', new ListInputError('line 3: a quoted field is never closed', 'UNCLOSED_QUOTE')],
    // Another feature's input error: told apart by its type (InputError), not by one feature's error name.
    ['a move file', new MoveFileError('The file is empty: it needs a header row and one row per move')],
  ])('prints bad input in %s as one line and exits 1', async (_what, error) => {
    await cliAction(async () => {
      throw error;
    })();
    expect(written).toEqual([`mailpref: ${error.message}\n`]);
    expect(process.exitCode).toBe(1);
  });

  it('lets a bug through with its stack', async () => {
    await expect(
      cliAction(async () => {
        throw new TypeError('x is undefined');
      })(),
    ).rejects.toThrow('x is undefined');
    expect(written).toEqual([]);
  });
});
