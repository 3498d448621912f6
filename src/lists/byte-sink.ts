import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';

/**
 * One output of the pipeline: a stream for file storage to consume, with backpressure, the
 * SHA-256 and byte count of everything written (the summary's output hash comes from here).
 */
export class ByteSink {
  readonly stream = new PassThrough({ highWaterMark: 1 << 20 });
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.hash.update(chunk);
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
    return this.hash.digest('hex');
  }
}
