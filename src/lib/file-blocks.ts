import fsp from 'node:fs/promises';

export const BLOCK_BYTES = 1 << 20;

/**
 * Where blocks are read into. `reused`: two buffers taken in turn (FileStorage.readBlocks), for a
 * reader done with each block soon. A fresh buffer for every read costs more than the read: its
 * memory is new to the process (a page fault per 4 KiB as the read fills it), and V8 counts it as
 * external memory, which brings old-space collections forward. `fresh`: a new buffer each time,
 * for a stream whose reader may keep its chunks (FileStorage.get, an HTTP download).
 */
export class BlockBuffers {
  private readonly buffers: Buffer[] | undefined;
  private turn = 0;

  constructor(kind: 'reused' | 'fresh') {
    this.buffers = kind === 'reused' ? [Buffer.allocUnsafe(BLOCK_BYTES), Buffer.allocUnsafe(BLOCK_BYTES)] : undefined;
  }

  next(): Buffer {
    return this.buffers ? this.buffers[this.turn++ & 1]! : Buffer.allocUnsafe(BLOCK_BYTES);
  }
}

/** Blocks of the bytes [start, end) of an open file; fails when the file is shorter. */
async function* readRange(handle: fsp.FileHandle, start: number, end: number, buffers: BlockBuffers): AsyncGenerator<Buffer> {
  for (let at = start; at < end; ) {
    const buffer = buffers.next();
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
    if (bytesRead === 0) throw new Error(`the file ends at byte ${at}, before the ${end} bytes expected`);
    at += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/** Writes all of data at position (or, without one, where the last write ended). */
export async function writeAll(handle: fsp.FileHandle, data: Buffer, position?: number): Promise<void> {
  for (let done = 0; done < data.length; ) done += (await handle.write(data, done, data.length - done, position === undefined ? null : position + done)).bytesWritten;
}

/**
 * A local file's bytes (or [start, end) of them) in blocks of up to 1 MiB. Read into reused
 * buffers, each block is valid while the next one is read and used, and is overwritten by the one
 * after that: a reader that keeps bytes longer (a list's header) copies them.
 */
export async function* readFileBlocks(file: string, range?: { start: number; end: number }, buffers = new BlockBuffers('reused')): AsyncGenerator<Buffer> {
  if (range && range.end <= range.start) return;
  const handle = await fsp.open(file, 'r');
  try {
    const end = Math.min(range?.end ?? Infinity, (await handle.stat()).size);
    yield* readRange(handle, range?.start ?? 0, end, buffers);
  } finally {
    await handle.close();
  }
}
