import fs from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';
import { MultiBar, type SingleBar } from 'cli-progress';

export interface ProgressBar {
  /** `done` of `total` (the total may be given late, when it becomes known). */
  update(done: number, total?: number, payload?: Record<string, unknown>): void;
  stop(): void;
  /**
   * Writes a message (a warning about a row, ending in a newline) on a line of its own above the
   * bar, which is drawn again below it; with no bar on screen, straight to the stream.
   */
  log(text: string): void;
}

type TextStream = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * A progress bar on stderr for a long CLI command, only when stderr is a terminal: a pipe, a log
 * file or CI gets nothing, so stdout and stderr stay clean for scripts. `format` may use
 * cli-progress's tokens ({bar}, {percentage}, {eta}, {value}, {total}) and the payload's.
 *
 * cli-progress's MultiBar (with one bar) is used for its log buffer: a message written straight to
 * the stream while the bar is drawn would land on the bar's line and be overwritten by its next
 * redraw.
 */
export function terminalProgressBar(format: string, stream: TextStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined, log: (text) => void stream.write(text) };
  // forceRedraw: a flushed message clears the bar's line, and cli-progress redraws only a changed bar.
  const bars = new MultiBar({ format, hideCursor: true, stream: stream as NodeJS.WriteStream, etaBuffer: 50, forceRedraw: true });
  let bar: SingleBar | undefined;
  let stopped = false;
  return {
    update(done, total, payload = {}) {
      if (stopped) return;
      if (!bar) bar = bars.create(total ?? done, done, payload);
      else if (total !== undefined) bar.setTotal(total);
      bar.update(done, payload);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (!bar) return;
      bars.update(); // writes the messages still buffered, above the bar's last drawing
      bars.stop();
    },
    log(text) {
      if (bar && !stopped) bars.log(text);
      else stream.write(text);
    },
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
async function* fileChunks(fd: number, size: number, bar: ProgressBar): AsyncGenerator<Buffer> {
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

/** Where a command reads and reports: the process's own, or a test's. */
export interface StdinIo {
  fd: number;
  stdin: AsyncIterable<Buffer>;
  stderr: TextStream;
}

/**
 * Standard input, with a bar when it is a file (`< list.csv`: its size is known), read straight
 * from its descriptor; a pipe has no size, so its bytes come through process.stdin unmeasured and
 * the command's own count says what it did. `log` writes a message above the bar (straight to
 * stderr when there is none); the bar stops when the input has been read.
 */
export function stdinWithProgress(label: string, io: StdinIo = { fd: 0, stdin: process.stdin, stderr: process.stderr }): { input: AsyncIterable<Buffer>; log: (text: string) => void } {
  let size: number | undefined;
  try {
    const stat = fs.fstatSync(io.fd);
    if (stat.isFile()) size = stat.size;
  } catch {
    // no descriptor 0 (closed): process.stdin says what it can
  }
  if (size === undefined) return { input: io.stdin, log: (text) => void io.stderr.write(text) };
  const bar = terminalProgressBar(`${label} [{bar}] {percentage}% | {read} of {size} MB`, io.stderr);
  return { input: fileChunks(io.fd, size, bar), log: (text) => bar.log(text) };
}

/** A bar over a known number of items (`{value} of {total} <unit>`). */
export function countProgressBar(label: string, unit: string): ProgressBar {
  return terminalProgressBar(`${label} [{bar}] {percentage}% | {value} of {total} ${unit}`);
}
