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
 * Reads a file with a bar that follows the bytes read (the rows of a CSV are not known until it
 * has been read). The bar stops when the file has been read, or fails.
 */
export function readWithProgress(file: string, label: string): Readable {
  const total = fs.statSync(file).size;
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
  return pipeline(fs.createReadStream(file), counter, () => bar.stop());
}
