import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';

/** A writable that keeps what a report writer wrote, read back as CSV rows keyed by the header. */
export function csvSink(): Writable & { rows: () => Record<string, string>[] } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(stream, { rows: () => parse(Buffer.concat(chunks).toString('utf8'), { columns: true }) as Record<string, string>[] });
}
