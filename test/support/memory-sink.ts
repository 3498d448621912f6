import { Writable } from 'node:stream';

/** A writable that keeps what it is given, for a report written to a stream: `text()` reads it back. */
export function memorySink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString('utf8') });
}
