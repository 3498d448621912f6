import fsp from 'node:fs/promises';
import { BLOCK_BYTES, writeAll, type BlockBuffers } from './file-blocks';
import { PRIVATE_FILE } from './private-files';

/**
 * A range file: a file made of byte ranges of another one, kept as the list of ranges instead of
 * their bytes (a chunk's cleansed part is the kept rows of the upload: three quarters of it, in a
 * few hundred thousand runs). On disk: "MPRANGE1", how many ranges and how many bytes they make
 * (float64s), the length and UTF-8 key of the file they are of, padded to 8 bytes; then each range
 * as two little-endian float64s, start and end (exact up to 2^53 bytes).
 */
const MAGIC = Buffer.from('MPRANGE1');
const FIXED_BYTES = 28; // magic, ranges, bytes, the key's length
const RANGE_BYTES = 16;

/** The header's size: the fixed part and the key, padded to 8 bytes. */
const headerLength = (keyBytes: number) => Math.ceil((FIXED_BYTES + keyBytes) / 8) * 8;

function headerBytes(of: string): Buffer {
  const key = Buffer.from(of, 'utf8');
  const header = Buffer.alloc(headerLength(key.length));
  MAGIC.copy(header, 0);
  header.writeUInt32LE(key.length, 24);
  key.copy(header, FIXED_BYTES);
  return header;
}

export interface RangeFileHeader {
  /** The key of the file the ranges are of. */
  of: string;
  ranges: number;
  bytes: number;
  /** Where the ranges start in the range file. */
  dataStart: number;
}

/**
 * Writes to `file` the ranges streamed as float64 pairs, checking that each is a range of `ofSize`
 * bytes that starts at or after the end of the one before. Returns the header written.
 */
export async function writeRangeFile(file: string, of: string, ofSize: number, ranges: AsyncIterable<Buffer>): Promise<RangeFileHeader> {
  const header = headerBytes(of);
  const handle = await fsp.open(file, 'w', PRIVATE_FILE);
  try {
    let position = header.length;
    let count = 0;
    let bytes = 0;
    let lastEnd = 0;
    let carried = Buffer.alloc(0);
    for await (const chunk of ranges) {
      const data = carried.length > 0 ? Buffer.concat([carried, chunk]) : chunk;
      const whole = data.length - (data.length % RANGE_BYTES);
      for (let at = 0; at < whole; at += RANGE_BYTES) {
        const start = data.readDoubleLE(at);
        const end = data.readDoubleLE(at + 8);
        if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < lastEnd || end <= start || end > ofSize) {
          throw new Error(`range ${count + 1} [${start}, ${end}) is not a byte range of "${of}" (${ofSize} bytes) after the one before, which ends at ${lastEnd}`);
        }
        lastEnd = end;
        bytes += end - start;
        count++;
      }
      await writeAll(handle, data.subarray(0, whole), position);
      position += whole;
      carried = Buffer.from(data.subarray(whole));
    }
    if (carried.length > 0) throw new Error(`the ranges end in the middle of one (${carried.length} of its ${RANGE_BYTES} bytes)`);
    header.writeDoubleLE(count, 8);
    header.writeDoubleLE(bytes, 16);
    await writeAll(handle, header, 0);
    return { of, ranges: count, bytes, dataStart: header.length };
  } finally {
    await handle.close();
  }
}

export async function readRangeFileHeader(file: string): Promise<RangeFileHeader> {
  const handle = await fsp.open(file, 'r');
  try {
    const fixed = Buffer.alloc(FIXED_BYTES);
    const { bytesRead } = await handle.read(fixed, 0, FIXED_BYTES, 0);
    if (bytesRead < FIXED_BYTES || !fixed.subarray(0, 8).equals(MAGIC)) throw new Error(`${file} is not a range file`);
    const key = Buffer.alloc(fixed.readUInt32LE(24));
    await handle.read(key, 0, key.length, FIXED_BYTES);
    return { of: key.toString('utf8'), ranges: fixed.readDoubleLE(8), bytes: fixed.readDoubleLE(16), dataStart: headerLength(key.length) };
  } finally {
    await handle.close();
  }
}

/** The ranges of a range file, in order, a block of them at a time: pairs of float64s in a buffer. */
async function* rangeBlocks(handle: fsp.FileHandle, header: RangeFileHeader): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  for (let done = 0; done < header.ranges; ) {
    const want = Math.min(header.ranges - done, buffer.length / RANGE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, want * RANGE_BYTES, header.dataStart + done * RANGE_BYTES);
    if (bytesRead < want * RANGE_BYTES) throw new Error(`the range file ends after ${done + Math.floor(bytesRead / RANGE_BYTES)} of its ${header.ranges} ranges`);
    yield buffer.subarray(0, bytesRead);
    done += want;
  }
}

/**
 * The bytes [start, end) of what a range file makes (the ranges of `ofPath`, one after the other),
 * in blocks from `buffers`; `header` is the file's, as readRangeFileHeader read it. The file they are of is read a block at a time, from where a range
 * starts: the ranges of a list's kept rows lie close together, so most blocks serve many. The
 * ranges are walked in a plain loop (a list has hundreds of thousands): only reads and full
 * output blocks wait.
 */
export async function* readRangeFile(
  file: string,
  header: RangeFileHeader,
  ofPath: string,
  range: { start: number; end: number } | undefined,
  buffers: BlockBuffers,
): AsyncGenerator<Buffer> {
  const handle = await fsp.open(file, 'r');
  const of = await fsp.open(ofPath, 'r').catch(async (error) => {
    await handle.close();
    throw error;
  });
  try {
    const from = range?.start ?? 0;
    const to = Math.min(range?.end ?? Infinity, header.bytes);
    const input = Buffer.allocUnsafe(BLOCK_BYTES);
    let inputStart = 0; // the file's bytes [inputStart, inputEnd) are in input
    let inputEnd = 0;
    let output = buffers.next();
    let used = 0;
    let position = 0; // where in the range file's bytes the current range starts
    for await (const block of rangeBlocks(handle, header)) {
      for (let pair = 0; pair < block.length && position < to; pair += RANGE_BYTES) {
        const rangeStart = block.readDoubleLE(pair);
        const rangeEnd = block.readDoubleLE(pair + 8);
        // The part of this range that falls in [from, to).
        let at = rangeStart + Math.max(0, from - position);
        const stop = rangeEnd - Math.max(0, position + (rangeEnd - rangeStart) - to);
        position += rangeEnd - rangeStart;
        while (at < stop) {
          if (at < inputStart || at >= inputEnd) {
            const { bytesRead } = await of.read(input, 0, input.length, at);
            if (bytesRead === 0) throw new Error(`"${header.of}" ends at byte ${at}, inside a range of the range file`);
            inputStart = at;
            inputEnd = at + bytesRead;
          }
          const take = Math.min(stop, inputEnd, at + output.length - used) - at;
          input.copy(output, used, at - inputStart, at - inputStart + take);
          used += take;
          at += take;
          if (used === output.length) {
            yield output;
            output = buffers.next();
            used = 0;
          }
        }
      }
      if (position >= to) break;
    }
    if (used > 0) yield output.subarray(0, used);
  } finally {
    await Promise.all([handle.close(), of.close()]);
  }
}
