import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';

/**
 * One output of the pipeline: a stream for file storage to consume, with backpressure, the
 * SHA-256 and byte count of everything written (the summary's output hash comes from here).
 * A chunk's part files go without the hash: only the merged file's hash is ever used.
 */
export class ByteSink {
  readonly stream = new PassThrough({ highWaterMark: 1 << 20 });
  private readonly hash: Hash | undefined;
  bytes = 0;

  constructor(options: { hash: boolean } = { hash: true }) {
    this.hash = options.hash ? createHash('sha256') : undefined;
  }

  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.hash?.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  end(): void {
    this.stream.end();
  }

  /** Ends the stream with an error so that the storage put fails and nothing is renamed into place. */
  fail(error: Error): void {
    this.stream.destroy(error);
  }

  digest(): string {
    if (!this.hash) throw new Error('This output was written without a hash');
    return this.hash.digest('hex');
  }
}
