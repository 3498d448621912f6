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
   * Writes `key` as `pieces` one after the other — bytes, or whole stored files — atomically, as
   * a put does; `inspect` sees every byte written, in order (to hash them). A merge of part files.
   */
  concat(key: string, pieces: (Buffer | { key: string })[], inspect?: (bytes: Buffer) => void): Promise<{ bytes: number }>;
  /** A read stream of the file, or of the byte range [start, end) of it. */
  get(key: string, range?: { start: number; end: number }): Readable;
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
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    return { bytes };
  }

  async concat(key: string, pieces: (Buffer | { key: string })[], inspect?: (bytes: Buffer) => void): Promise<{ bytes: number }> {
    const target = this.pathOf(key);
    const sources = pieces.map((piece) => (Buffer.isBuffer(piece) ? piece : this.pathOf(piece.key)));
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const temp = this.tempPathOf(target);
    // File handles and one buffer rather than streams: a merge copies a whole list, and stream
    // plumbing per block made that take three times as long as the reads and writes themselves.
    const out = await fsp.open(temp, 'w');
    let bytes = 0;
    const write = async (block: Buffer) => {
      inspect?.(block);
      for (let done = 0; done < block.length; ) done += (await out.write(block, done, block.length - done)).bytesWritten;
      bytes += block.length;
    };
    try {
      const block = Buffer.allocUnsafe(4 << 20);
      for (const source of sources) {
        if (Buffer.isBuffer(source)) {
          if (source.length > 0) await write(source);
          continue;
        }
        const input = await fsp.open(source, 'r');
        try {
          for (;;) {
            const { bytesRead } = await input.read(block, 0, block.length, null);
            if (bytesRead === 0) break;
            await write(block.subarray(0, bytesRead));
          }
        } finally {
          await input.close();
        }
      }
      await out.close();
      await fsp.rename(temp, target);
    } catch (error) {
      await out.close().catch(() => undefined);
      await fsp.rm(temp, { force: true });
      throw error;
    }
    return { bytes };
  }

  get(key: string, range?: { start: number; end: number }): Readable {
    const file = this.pathOf(key);
    if (range && range.end <= range.start) return Readable.from([]);
    // createReadStream's end is inclusive.
    return fs.createReadStream(file, range ? { start: range.start, end: range.end - 1, highWaterMark: 1 << 20 } : { highWaterMark: 1 << 20 });
  }

  async exists(key: string): Promise<boolean> {
    return (await this.size(key)) !== undefined;
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const stat = await fsp.stat(this.pathOf(key));
      return stat.isFile() ? stat.size : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  async deleteFolder(prefix: string): Promise<void> {
    await fsp.rm(this.pathOf(prefix), { recursive: true, force: true });
  }
}

/** The default storage: a local directory (FILES_DIR, by default `<DATA_DIR>/files`). */
export function localFileStorage(filesDir: string): LocalFileStorage {
  return new LocalFileStorage(filesDir);
}
