import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { LocalFileStorage } from '../../src/lib/file-storage';

// Every test gets a storage directory of its own.
let root: string;
let storage: LocalFileStorage;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-storage-'));
  storage = new LocalFileStorage(root);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('LocalFileStorage.compose (the merge of a chunked list job)', () => {

  const read = async (key: string, range?: { start: number; end: number }) => {
    const pieces: Buffer[] = [];
    for await (const piece of storage.get(key, range)) pieces.push(piece as Buffer);
    return Buffer.concat(pieces);
  };
  /** readBlocks, each block copied as it comes: its buffer is used again two blocks later. */
  const readInBlocks = async (key: string, range?: { start: number; end: number }) => {
    const blocks: Buffer[] = [];
    for await (const block of storage.readBlocks(key, range)) blocks.push(Buffer.from(block));
    return Buffer.concat(blocks);
  };
  const put = (key: string, bytes: Buffer) => storage.put(key, Readable.from([bytes]));

  it('reads the parts one after the other, whole or any byte range of them, without copying them', async () => {
    // A part larger than a read (1 MiB), an empty one, and small ones.
    const parts = [Buffer.from('name,address1\r\n'), randomBytes(3 * 1024 ** 2 + 17), Buffer.alloc(0), Buffer.from('tail\r\n'), randomBytes(1000)];
    for (const [i, part] of parts.entries()) await put(`job/pieces/${i}`, part);
    const whole = Buffer.concat(parts);

    expect(await storage.compose('job/out', parts.map((_, i) => `job/pieces/${i}`))).toEqual({ bytes: whole.length });
    expect(await storage.size('job/out')).toBe(whole.length);
    expect(await storage.exists('job/out')).toBe(true);
    expect((await read('job/out')).equals(whole)).toBe(true);
    const edges = [0, 1, 14, 15, 16, 1024 ** 2, 3 * 1024 ** 2 + 32, 3 * 1024 ** 2 + 33, whole.length - 1000, whole.length - 1, whole.length];
    for (const start of edges) {
      for (const end of edges) {
        if (end <= start) continue;
        expect((await read('job/out', { start, end })).equals(whole.subarray(start, end))).toBe(true);
        expect((await readInBlocks('job/out', { start, end })).equals(whole.subarray(start, end))).toBe(true);
      }
    }
    expect((await readInBlocks('job/out')).equals(whole)).toBe(true);
    // The parts stay files of their own; nothing the size of the list was written.
    expect(fs.readdirSync(path.join(root, 'job')).sort()).toEqual(['.out.pieces', 'pieces']);
  });

  it('is replaced by a later put, and a put file by a later compose', async () => {
    await put('job/pieces/0', Buffer.from('composed\n'));
    await storage.compose('job/out', ['job/pieces/0']);
    await put('job/out', Buffer.from('put\n'));
    expect((await read('job/out')).toString()).toBe('put\n');
    expect(await storage.size('job/out')).toBe(4);
    await storage.compose('job/out', ['job/pieces/0']);
    expect((await read('job/out')).toString()).toBe('composed\n');
    expect(await storage.size('job/out')).toBe(9);
  });

  it('is gone after delete and with its folder', async () => {
    await put('job/pieces/0', Buffer.from('x'));
    await storage.compose('job/out', ['job/pieces/0']);
    await storage.delete('job/out');
    expect(await storage.exists('job/out')).toBe(false);
    await storage.compose('job/out', ['job/pieces/0']);
    await storage.deleteFolder('job');
    expect(await storage.size('job/out')).toBeUndefined();
    expect(fs.existsSync(path.join(root, 'job'))).toBe(false);
  });

  it('changes nothing when a part is missing', async () => {
    await put('job/pieces/0', Buffer.from('first part\n'));
    await put('job/out', Buffer.from('an earlier output\n'));
    await expect(storage.compose('job/out', ['job/pieces/0', 'job/pieces/1'])).rejects.toThrow(/ENOENT/);
    expect((await read('job/out')).toString()).toBe('an earlier output\n');
    expect(fs.readdirSync(path.join(root, 'job')).sort()).toEqual(['out', 'pieces']);
  });

  it('refuses a key that would leave the storage directory', async () => {
    await expect(storage.compose('job/out', ['../outside'])).rejects.toThrow('Invalid file storage key "../outside"');
    expect(fs.existsSync(path.join(root, 'job'))).toBe(false);
  });
});

describe('LocalFileStorage.readBlocks (the cleanse reading a list)', () => {

  it('reads a file in blocks of up to 1 MiB into two buffers used in turn, each block intact while the next one is used', async () => {
    const bytes = randomBytes(4 * 1024 ** 2 + 5);
    await storage.put('list/upload', Readable.from([bytes]));
    const blocks: Buffer[] = [];
    const copies: Buffer[] = [];
    for await (const block of storage.readBlocks('list/upload', { start: 3, end: bytes.length })) {
      // The block before this one is still as it was read (a record splitter joins its tail to this one).
      if (blocks.length > 0) expect(blocks.at(-1)!.equals(copies.at(-1)!)).toBe(true);
      blocks.push(block);
      copies.push(Buffer.from(block));
    }
    expect(copies.map((block) => block.length)).toEqual([1024 ** 2, 1024 ** 2, 1024 ** 2, 1024 ** 2, 2]);
    expect(Buffer.concat(copies).equals(bytes.subarray(3))).toBe(true);
    // Two buffers, not one a block: the third block was read into the first one's memory.
    expect(blocks[2]!.buffer).toBe(blocks[0]!.buffer);
    expect(blocks[1]!.buffer).not.toBe(blocks[0]!.buffer);
  });

  it('reads nothing of an empty range, and fails on a missing file', async () => {
    await storage.put('list/upload', Readable.from([Buffer.from('abc')]));
    const none: Buffer[] = [];
    for await (const block of storage.readBlocks('list/upload', { start: 2, end: 2 })) none.push(block);
    expect(none).toEqual([]);
    await expect(
      (async () => {
        for await (const _block of storage.readBlocks('list/missing'));
      })(),
    ).rejects.toThrow(/ENOENT/);
  });
});

describe('LocalFileStorage.putRanges (a chunk\'s kept rows, as ranges of the upload)', () => {

  /** Ranges as putRanges takes them: float64 pairs, here cut into pieces of `pieceBytes`. */
  function rangeBytes(ranges: [number, number][], pieceBytes = 5): Buffer[] {
    const all = Buffer.alloc(16 * ranges.length);
    ranges.forEach(([start, end], i) => {
      all.writeDoubleLE(start, 16 * i);
      all.writeDoubleLE(end, 16 * i + 8);
    });
    const pieces: Buffer[] = [];
    for (let at = 0; at < all.length; at += pieceBytes) pieces.push(all.subarray(at, at + pieceBytes));
    return pieces;
  }
  const gather = async (blocks: AsyncIterable<Buffer>) => {
    const copies: Buffer[] = [];
    for await (const block of blocks) copies.push(Buffer.from(block));
    return Buffer.concat(copies);
  };

  it('reads as the ranges of the other file one after the other, whole, by range, in blocks and composed, without copying them', async () => {
    const upload = randomBytes(3 * 1024 ** 2 + 100);
    await storage.put('list/upload', Readable.from([upload]));
    // Ranges inside one 1 MiB read, across reads, longer than a read, touching, and the last byte.
    const ranges: [number, number][] = [[0, 10], [10, 20], [25, 1024 ** 2 + 7], [1024 ** 2 + 9, 1024 ** 2 + 10], [2 * 1024 ** 2, upload.length]];
    const expected = Buffer.concat(ranges.map(([start, end]) => upload.subarray(start, end)));
    expect(await storage.putRanges('list/pieces/0-cleansed', 'list/upload', Readable.from(rangeBytes(ranges)))).toEqual({ bytes: expected.length });
    expect(await storage.size('list/pieces/0-cleansed')).toBe(expected.length);
    expect((await gather(storage.get('list/pieces/0-cleansed'))).equals(expected)).toBe(true);
    expect((await gather(storage.readBlocks('list/pieces/0-cleansed'))).equals(expected)).toBe(true);
    for (const [start, end] of [[0, 1], [5, 15], [9, 11], [19, 21], [20, 1024 ** 2], [expected.length - 3, expected.length], [0, expected.length + 50]]) {
      expect((await gather(storage.get('list/pieces/0-cleansed', { start: start!, end: end! }))).equals(expected.subarray(start, end))).toBe(true);
    }
    // A composed file made of it and a put file.
    await storage.put('list/pieces/preamble', Readable.from([Buffer.from('name,address1\r\n')]));
    expect(await storage.compose('list/cleansed', ['list/pieces/preamble', 'list/pieces/0-cleansed'])).toEqual({ bytes: 15 + expected.length });
    expect((await gather(storage.readBlocks('list/cleansed'))).equals(Buffer.concat([Buffer.from('name,address1\r\n'), expected]))).toBe(true);
    // What is stored is the list of ranges, not their bytes.
    const onDisk = fs.readdirSync(path.join(root, 'list', 'pieces')).reduce((sum, name) => sum + fs.statSync(path.join(root, 'list', 'pieces', name)).size, 0);
    expect(onDisk).toBeLessThan(10_000);
  });

  it('is replaced by a later put and goes with delete; an empty list of ranges is an empty file', async () => {
    await storage.put('list/upload', Readable.from([Buffer.from('0123456789')]));
    await storage.putRanges('list/part', 'list/upload', Readable.from(rangeBytes([[2, 4]])));
    await storage.put('list/part', Readable.from([Buffer.from('put')]));
    expect((await gather(storage.get('list/part'))).toString()).toBe('put');
    await storage.putRanges('list/part', 'list/upload', Readable.from(rangeBytes([[2, 4], [7, 8]])));
    expect((await gather(storage.get('list/part'))).toString()).toBe('237');
    await storage.delete('list/part');
    expect(await storage.exists('list/part')).toBe(false);
    expect(fs.readdirSync(path.join(root, 'list'))).toEqual(['upload']);
    await storage.putRanges('list/part', 'list/upload', Readable.from([]));
    expect(await storage.size('list/part')).toBe(0);
    expect((await gather(storage.get('list/part'))).length).toBe(0);
  });

  it('refuses ranges that are not ranges of the file, in order, and keeps what was stored before', async () => {
    await storage.put('list/upload', Readable.from([Buffer.from('0123456789')]));
    await storage.putRanges('list/part', 'list/upload', Readable.from(rangeBytes([[0, 1]])));
    const refused: [[number, number][], RegExp][] = [
      [[[0, 11]], /range 1 \[0, 11\) is not a byte range of "list\/upload" \(10 bytes\)/],
      [[[4, 6], [5, 7]], /range 2 \[5, 7\)/],
      [[[3, 3]], /range 1 \[3, 3\)/],
      [[[1.5, 3]], /range 1/],
    ];
    for (const [ranges, message] of refused) await expect(storage.putRanges('list/part', 'list/upload', Readable.from(rangeBytes(ranges)))).rejects.toThrow(message);
    await expect(storage.putRanges('list/part', 'list/upload', Readable.from([...rangeBytes([[0, 1]]), Buffer.alloc(4)]))).rejects.toThrow('the ranges end in the middle of one (4 of its 16 bytes)');
    await expect(storage.putRanges('list/part', 'list/missing', Readable.from([]))).rejects.toThrow('there is no such file');
    await expect(storage.putRanges('list/other', 'list/part', Readable.from([]))).rejects.toThrow('that is not a file that was put');
    expect((await gather(storage.get('list/part'))).toString()).toBe('0');
    expect(fs.readdirSync(path.join(root, 'list')).sort()).toEqual(['.part.ranges', 'upload']);
  });
});
