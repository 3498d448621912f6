import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

/**
 * Files (uploads, cleansed lists, reports, print files) by key, behind an interface small enough
 * that an object store can replace the local directory when workers run on several machines.
 * No code outside this file builds a file path.
 *
 * A put is atomic: the bytes go to a temporary name and are renamed into place only when the
 * whole stream has been written, so a reader never sees a partial file, even if the writer dies.
 */
export interface FileStorage {
  /** Writes the whole stream under key (replacing any older file); returns the bytes written. */
  put(key: string, source: Readable | AsyncIterable<Buffer>): Promise<{ bytes: number }>;
  /**
   * Makes `key` the stored files `parts` one after the other, without copying them (as an object
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

const BLOCK_BYTES = 1 << 20;

/**
 * Two buffers that reads take in turn (see readBlocks). A fresh buffer for every read costs more
 * than the read: its memory is new to the process (a page fault per 4 KiB as the read fills it),
 * and V8 counts it as external memory, which brings old-space collections forward.
 */
class BlockBuffers {
  private readonly buffers = [Buffer.allocUnsafe(BLOCK_BYTES), Buffer.allocUnsafe(BLOCK_BYTES)];
  private turn = 0;

  next(): Buffer {
    return this.buffers[this.turn++ & 1]!;
  }
}

/** Blocks of the bytes [start, end) of an open file, read into buffers. */
async function* readRange(handle: fsp.FileHandle, start: number, end: number, buffers: BlockBuffers): AsyncGenerator<Buffer> {
  for (let at = start; at < end; ) {
    const buffer = buffers.next();
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
    if (bytesRead === 0) return; // the file is shorter than the range
    at += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/**
 * A local file's bytes (or [start, end) of them) in blocks of up to 1 MiB, read into two buffers
 * in turn: each block is valid while the next one is read and used, and is overwritten by the
 * one after that. A reader that keeps bytes longer (a list's header) copies them.
 */
export async function* readFileBlocks(file: string, range?: { start: number; end: number }, buffers = new BlockBuffers()): AsyncGenerator<Buffer> {
  if (range && range.end <= range.start) return;
  const handle = await fsp.open(file, 'r');
  try {
    yield* readRange(handle, range?.start ?? 0, range?.end ?? (await handle.stat()).size, buffers);
  } finally {
    await handle.close();
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

export class LocalFileStorage implements FileStorage {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  /** Temporary names start with '.', which no valid key does, so they are never read as a file. */
  private tempPathOf(target: string): string {
    return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  }

  /** Where compose lists a composed file's pieces: next to it, under a name no key can have. */
  private manifestPathOf(target: string): string {
    return path.join(path.dirname(target), `.${path.basename(target)}.pieces`);
  }

  private async composedPieces(manifest: string): Promise<ComposedPiece[] | undefined> {
    try {
      return (JSON.parse(await fsp.readFile(manifest, 'utf8')) as { pieces: ComposedPiece[] }).pieces;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** A composed file's bytes [start, end), piece after piece. */
  private async *readComposed(manifest: string, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
    const pieces = await this.composedPieces(manifest);
    if (!pieces) throw Object.assign(new Error(`ENOENT: no such file, open '${manifest}'`), { code: 'ENOENT' });
    for (const { piece, from, to } of piecesIn(pieces, range)) {
      yield* fs.createReadStream(this.pathOf(piece.key), { start: from, end: to - 1, highWaterMark: BLOCK_BYTES });
    }
  }

  async *readBlocks(key: string, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
    const file = this.pathOf(key);
    if (range && range.end <= range.start) return;
    const buffers = new BlockBuffers();
    if (fs.existsSync(file) || !fs.existsSync(this.manifestPathOf(file))) {
      yield* readFileBlocks(file, range, buffers);
      return;
    }
    const pieces = await this.composedPieces(this.manifestPathOf(file));
    if (!pieces) throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: 'ENOENT' });
    for (const { piece, from, to } of piecesIn(pieces, range)) yield* readFileBlocks(this.pathOf(piece.key), { start: from, end: to }, buffers);
  }

  async put(key: string, source: Readable | AsyncIterable<Buffer>): Promise<{ bytes: number }> {
    const target = this.pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const temp = this.tempPathOf(target);
    let bytes = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            bytes += chunk.length;
            yield chunk;
          }
        },
        fs.createWriteStream(temp),
      );
      await fsp.rename(temp, target);
      await fsp.rm(this.manifestPathOf(target), { force: true }); // what compose made of key before
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    return { bytes };
  }

  async compose(key: string, parts: string[]): Promise<{ bytes: number }> {
    const target = this.pathOf(key);
    const pieces: ComposedPiece[] = [];
    for (const part of parts) {
      const stat = await fsp.stat(this.pathOf(part));
      if (!stat.isFile()) throw new Error(`Cannot compose "${key}": "${part}" is not a file`);
      pieces.push({ key: part, bytes: stat.size });
    }
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const temp = this.tempPathOf(target);
    try {
      await fsp.writeFile(temp, JSON.stringify({ pieces }));
      await fsp.rename(temp, this.manifestPathOf(target));
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    // A file put under key earlier would be read instead (a file wins over a manifest): remove it.
    await fsp.rm(target, { force: true });
    return { bytes: composedSize(pieces) };
  }

  get(key: string, range?: { start: number; end: number }): Readable {
    const file = this.pathOf(key);
    if (range && range.end <= range.start) return Readable.from([]);
    if (!fs.existsSync(file) && fs.existsSync(this.manifestPathOf(file))) return Readable.from(this.readComposed(this.manifestPathOf(file), range));
    // createReadStream's end is inclusive.
    return fs.createReadStream(file, range ? { start: range.start, end: range.end - 1, highWaterMark: 1 << 20 } : { highWaterMark: 1 << 20 });
  }

  async exists(key: string): Promise<boolean> {
    return (await this.size(key)) !== undefined;
  }

  async size(key: string): Promise<number | undefined> {
    const file = this.pathOf(key);
    try {
      const stat = await fsp.stat(file);
      return stat.isFile() ? stat.size : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const pieces = await this.composedPieces(this.manifestPathOf(file));
    return pieces && composedSize(pieces);
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fsp.rm(file, { force: true });
    await fsp.rm(this.manifestPathOf(file), { force: true });
  }

  async deleteFolder(prefix: string): Promise<void> {
    await fsp.rm(this.pathOf(prefix), { recursive: true, force: true });
  }
}

/** The default storage: a local directory (FILES_DIR, by default `<DATA_DIR>/files`). */
export function localFileStorage(filesDir: string): LocalFileStorage {
  return new LocalFileStorage(filesDir);
}
