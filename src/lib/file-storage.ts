import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlockBuffers, readFileBlocks, writeAll } from './file-blocks';
import { readRangeFile, readRangeFileHeader, writeRangeFile, type RangeFileHeader } from './range-file';
import { PRIVATE_DIR, PRIVATE_FILE } from './private-files';

export { readFileBlocks };

/**
 * Files (uploads, cleansed lists, reports, print files) by key, behind an interface small enough
 * that an object store can replace the local directory when workers run on several machines.
 * No code outside this file builds a file path.
 *
 * A put is atomic: the bytes go to a temporary name and are renamed into place only when the
 * whole stream has been written, so a reader never sees a partial file, even if the writer dies.
 */
export interface FileStorage {
  /**
   * Writes the whole stream under key (replacing any older file); returns the bytes written. It is
   * done with each chunk of the stream when it asks for the next one.
   */
  put(key: string, source: Readable | AsyncIterable<Buffer>): Promise<{ bytes: number }>;
  /**
   * Makes `key` the byte ranges `ranges` of the stored file `of`, one after the other, without
   * copying them: a chunk's cleansed part is the upload's kept rows. `ranges` streams [start, end)
   * pairs as little-endian float64s, each starting at or after the end of the one before. `of`
   * must stay as it is while `key` is kept. Atomic, as a put is. Returns the size. (An object
   * store without such references would copy the ranges.)
   */
  putRanges(key: string, of: string, ranges: AsyncIterable<Buffer>): Promise<{ bytes: number }>;
  /**
   * Makes `key` the stored files `parts` (put, or range files) one after the other, without copying them (as an object
   * store composes objects): reading `key` reads the parts, which must stay as they are while
   * `key` is kept, and are deleted with it only when they are in a folder deleted with it.
   * Atomic, as a put is; a later put of `key` replaces it. Returns the size. A merge of part files.
   */
  compose(key: string, parts: string[]): Promise<{ bytes: number }>;
  /** A read stream of the file, or of the byte range [start, end) of it. */
  get(key: string, range?: { start: number; end: number }): Readable;
  /**
   * The file (or its bytes [start, end)) for a reader that is done with each block soon: blocks are
   * read into two buffers in turn, so a block stays as it is while the next one is read and used,
   * and is overwritten by the one after (see readBlocks). For the cleanse's passes over a list and
   * the merge's hashing, which would otherwise take a fresh buffer for every MiB they read.
   */
  readBlocks(key: string, range?: { start: number; end: number }): AsyncIterable<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Size in bytes, undefined when there is no such file. */
  size(key: string): Promise<number | undefined>;
  delete(key: string): Promise<void>;
  /** Deletes every file whose key starts with prefix + '/' (e.g. all files of one list job). */
  deleteFolder(prefix: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

export function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`Invalid file storage key "${key}"`);
  }
}

/** One piece of a composed file, as its manifest lists it. */
interface ComposedPiece {
  key: string;
  bytes: number;
}

const composedSize = (pieces: ComposedPiece[]) => pieces.reduce((sum, piece) => sum + piece.bytes, 0);

/** The pieces a byte range of a composed file covers, each with the range [from, to) of its own bytes. */
function* piecesIn(pieces: ComposedPiece[], range?: { start: number; end: number }): Generator<{ piece: ComposedPiece; from: number; to: number }> {
  let at = 0;
  for (const piece of pieces) {
    const pieceStart = at;
    at += piece.bytes;
    const from = Math.max(range?.start ?? 0, pieceStart) - pieceStart;
    const to = Math.min(range?.end ?? Infinity, at) - pieceStart;
    if (to > from) yield { piece, from, to };
  }
}

/**
 * What a key is in the directory: a file that was put; a composed file, whose manifest lists its
 * pieces (`.<name>.pieces`); or a range file (`.<name>.ranges`, see range-file.ts). Hidden names
 * start with '.', which no key does. A write of one form removes the other two.
 */
type Stored = { form: 'file'; path: string; bytes: number } | { form: 'composed'; pieces: ComposedPiece[]; bytes: number } | { form: 'ranges'; path: string; header: RangeFileHeader; bytes: number };

const notFound = (key: string) => Object.assign(new Error(`ENOENT: no such file in storage: '${key}'`), { code: 'ENOENT' });

export class LocalFileStorage implements FileStorage {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  private hiddenPathOf(target: string, form: 'pieces' | 'ranges' | 'tmp'): string {
    const suffix = form === 'tmp' ? `${randomBytes(6).toString('hex')}.tmp` : form;
    return path.join(path.dirname(target), `.${path.basename(target)}.${suffix}`);
  }

  private async stored(key: string): Promise<Stored | undefined> {
    const file = this.pathOf(key);
    const stat = await fsp.stat(file).catch(ignoreMissing);
    if (stat?.isFile()) return { form: 'file', path: file, bytes: stat.size };
    const manifest = await fsp.readFile(this.hiddenPathOf(file, 'pieces'), 'utf8').catch(ignoreMissing);
    if (manifest !== undefined) {
      const { pieces } = JSON.parse(manifest) as { pieces: ComposedPiece[] };
      return { form: 'composed', pieces, bytes: composedSize(pieces) };
    }
    const ranges = this.hiddenPathOf(file, 'ranges');
    const header = await readRangeFileHeader(ranges).catch(ignoreMissing);
    if (header) return { form: 'ranges', path: ranges, header, bytes: header.bytes };
    return undefined;
  }

  /** Any form of file, or [start, end) of it, in blocks from `buffers`. */
  private async *read(key: string, range: { start: number; end: number } | undefined, buffers: BlockBuffers): AsyncGenerator<Buffer> {
    if (range && range.end <= range.start) return;
    const stored = await this.stored(key);
    if (!stored) throw notFound(key);
    if (stored.form === 'file') yield* readFileBlocks(stored.path, range, buffers);
    else if (stored.form === 'ranges') yield* readRangeFile(stored.path, stored.header, this.pathOf(stored.header.of), range, buffers);
    else for (const { piece, from, to } of piecesIn(stored.pieces, range)) yield* this.read(piece.key, { start: from, end: to }, buffers);
  }

  /** Writes under key through a temporary file renamed into place, then removes its other forms. */
  private async replace(key: string, form: Stored['form'], write: (temp: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR });
    const temp = this.hiddenPathOf(target, 'tmp');
    const places = { file: target, composed: this.hiddenPathOf(target, 'pieces'), ranges: this.hiddenPathOf(target, 'ranges') };
    try {
      await write(temp);
      await fsp.rename(temp, places[form]);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    for (const other of ['file', 'composed', 'ranges'] as const) if (other !== form) await fsp.rm(places[other], { force: true });
  }

  get(key: string, range?: { start: number; end: number }): Readable {
    return Readable.from(this.read(key, range, new BlockBuffers('fresh')));
  }

  readBlocks(key: string, range?: { start: number; end: number }): AsyncIterable<Buffer> {
    return this.read(key, range, new BlockBuffers('reused'));
  }

  async put(key: string, source: Readable | AsyncIterable<Buffer>): Promise<{ bytes: number }> {
    let bytes = 0;
    await this.replace(key, 'file', async (temp) => {
      const handle = await fsp.open(temp, 'w', PRIVATE_FILE);
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          await writeAll(handle, chunk);
          bytes += chunk.length;
        }
      } finally {
        await handle.close();
      }
    });
    return { bytes };
  }

  async putRanges(key: string, of: string, ranges: AsyncIterable<Buffer>): Promise<{ bytes: number }> {
    const source = await this.stored(of);
    if (source?.form !== 'file') throw new Error(`Cannot make "${key}" of ranges of "${of}": ${source ? 'that is not a file that was put' : 'there is no such file'}`);
    let bytes = 0;
    await this.replace(key, 'ranges', async (temp) => {
      bytes = (await writeRangeFile(temp, of, source.bytes, ranges)).bytes;
    });
    return { bytes };
  }

  async compose(key: string, parts: string[]): Promise<{ bytes: number }> {
    const pieces: ComposedPiece[] = [];
    for (const part of parts) {
      const stored = await this.stored(part);
      if (!stored) throw notFound(part);
      if (stored.form === 'composed') throw new Error(`Cannot compose "${key}": "${part}" is itself composed`);
      pieces.push({ key: part, bytes: stored.bytes });
    }
    await this.replace(key, 'composed', (temp) => fsp.writeFile(temp, JSON.stringify({ pieces }), { mode: PRIVATE_FILE }));
    return { bytes: composedSize(pieces) };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stored(key)) !== undefined;
  }

  async size(key: string): Promise<number | undefined> {
    return (await this.stored(key))?.bytes;
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    for (const place of [file, this.hiddenPathOf(file, 'pieces'), this.hiddenPathOf(file, 'ranges')]) await fsp.rm(place, { force: true });
  }

  async deleteFolder(prefix: string): Promise<void> {
    await fsp.rm(this.pathOf(prefix), { recursive: true, force: true });
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}

/** The default storage: a local directory (FILES_DIR, by default `<DATA_DIR>/files`). */
export function localFileStorage(filesDir: string): LocalFileStorage {
  return new LocalFileStorage(filesDir);
}
