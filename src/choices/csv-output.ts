import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';

/** Writes CSV rows to a stream, waiting when the stream is full (memory stays flat). */
export class CsvOutput {
  rows = 0;

  constructor(
    private readonly dest: Writable,
    header: string[],
  ) {
    this.dest.write(stringify([header]));
  }

  async write(row: (string | number)[]): Promise<void> {
    this.rows += 1;
    if (!this.dest.write(stringify([row]))) await once(this.dest, 'drain');
  }

  async end(): Promise<void> {
    const finished = once(this.dest, 'finish');
    this.dest.end();
    await finished;
  }
}
