import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { LocalFileStorage } from '../../src/lib/file-storage';

describe('LocalFileStorage.concat (the merge of a chunked list job)', () => {
  let root: string;
  let storage: LocalFileStorage;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-storage-'));
    storage = new LocalFileStorage(root);
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const read = async (key: string) => {
    const pieces: Buffer[] = [];
    for await (const piece of storage.get(key)) pieces.push(piece as Buffer);
    return Buffer.concat(pieces);
  };

  it('writes bytes and stored files in order, and shows every byte to inspect', async () => {
    // Parts larger than the copy buffer (4 MiB), an empty one, and one of a few bytes.
    const parts = [randomBytes(9 * 1024 ** 2 + 17), Buffer.alloc(0), Buffer.from('tail\r\n')];
    for (const [i, part] of parts.entries()) await storage.put(`job/parts/${i}`, Readable.from([part]));
    const preamble = Buffer.from('name,address1\r\n');
    const hash = createHash('sha256');
    let inspected = 0;
    const { bytes } = await storage.concat('job/out', [preamble, ...parts.map((_, i) => ({ key: `job/parts/${i}` }))], (block) => {
      hash.update(block);
      inspected += block.length;
    });
    const expected = Buffer.concat([preamble, ...parts]);
    const written = await read('job/out');
    expect(written.equals(expected)).toBe(true);
    expect(bytes).toBe(expected.length);
    expect(inspected).toBe(expected.length);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
  });

  it('leaves nothing behind, not even a temporary file, when a part is missing', async () => {
    await storage.put('job/parts/0', Readable.from([Buffer.from('first part\n')]));
    await storage.put('job/out', Readable.from([Buffer.from('an earlier output\n')]));
    await expect(storage.concat('job/out', [{ key: 'job/parts/0' }, { key: 'job/parts/1' }])).rejects.toThrow(/ENOENT/);
    expect((await read('job/out')).toString()).toBe('an earlier output\n');
    expect(fs.readdirSync(path.join(root, 'job')).sort()).toEqual(['out', 'parts']);
  });

  it('refuses a key that would leave the storage directory', async () => {
    await expect(storage.concat('job/out', [{ key: '../outside' }])).rejects.toThrow('Invalid file storage key "../outside"');
    expect(fs.existsSync(path.join(root, 'job'))).toBe(false);
  });
});
