import fs from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';
import { SingleBar } from 'cli-progress';

export interface ProgressBar {
  /** `done` of `total` (the total may be given late, when it becomes known). */
  update(done: number, total?: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

const SILENT: ProgressBar = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr for a long CLI command, only when stderr is a terminal: a pipe, a log
 * file or CI gets nothing, so stdout and stderr stay clean for scripts. `format` may use
 * cli-progress's tokens ({bar}, {percentage}, {eta}, {value}, {total}) and the payload's.
 */
export function terminalProgressBar(format: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return SILENT;
  const bar = new SingleBar({ format, hideCursor: true, stream, etaBuffer: 50 });
  let started = false;
  return {
    update(done, total, payload = {}) {
      if (!started) bar.start(total ?? done, done, payload);
      else if (total !== undefined) bar.setTotal(total);
      started = true;
      bar.update(done, payload);
    },
    stop: () => started && bar.stop(),
  };
}

/**
 * Passes a stream through with a bar that follows the bytes read, against `total` bytes (the rows
 * of a CSV are not known until it has been read). The bar stops when the stream ends, or fails.
 */
export function bytesWithProgress(input: Readable, total: number, label: string): Readable {
  const bar = terminalProgressBar(`${label} [{bar}] {percentage}% | {read} of {size} MB`);
  const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      bar.update(done, total, { read: mb(done), size: mb(total) });
      callback(null, chunk);
    },
  });
  return pipeline(input, counter, () => bar.stop());
}

/** Reads a file with a bar that follows the bytes read. */
export function readWithProgress(file: string, label: string): Readable {
  return bytesWithProgress(fs.createReadStream(file), fs.statSync(file).size, label);
}

const FILE_READ_BYTES = 1024 * 1024;

/**
 * A file's bytes from its open descriptor, from where it stands, in large reads (a stream's
 * 64 KiB reads, each through the stream machinery, cost a filter like address-key ~5% of its
 * time), with a bar on a terminal that follows the bytes read against `size`.
 */
async function* fileChunks(fd: number, size: number, label: string): AsyncGenerator<Buffer> {
  const bar = terminalProgressBar(`${label} [{bar}] {percentage}% | {read} of {size} MB`);
  const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
  let done = 0;
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(FILE_READ_BYTES);
      const { bytesRead } = await new Promise<{ bytesRead: number }>((resolve, reject) =>
        fs.read(fd, buffer, 0, buffer.length, null, (error, bytesRead) => (error ? reject(error) : resolve({ bytesRead }))),
      );
      if (bytesRead === 0) return;
      done += bytesRead;
      bar.update(done, Math.max(size, done), { read: mb(done), size: mb(Math.max(size, done)) });
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    bar.stop();
  }
}

/**
 * Standard input, with a bar when it is a file (`< list.csv`: its size is known), read straight
 * from its descriptor; a pipe has no size, so its bytes come through process.stdin unmeasured and
 * the command's own count says what it did.
 */
export function stdinWithProgress(label: string): AsyncIterable<Buffer> {
  let size: number | undefined;
  try {
    const stat = fs.fstatSync(0);
    if (stat.isFile()) size = stat.size;
  } catch {
    // no descriptor 0 (closed): process.stdin says what it can
  }
  return size === undefined ? process.stdin : fileChunks(0, size, label);
}

/** A bar over a known number of items (`{value} of {total} <unit>`). */
export function countProgressBar(label: string, unit: string): ProgressBar {
  return terminalProgressBar(`${label} [{bar}] {percentage}% | {value} of {total} ${unit}`);
}
