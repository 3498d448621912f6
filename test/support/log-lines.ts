import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export type LogLine = { level: number; msg?: string; req?: { method: string; path: string }; res?: { statusCode: number }; [field: string]: unknown };

/** A logger (level info) whose lines a test reads back, parsed, in `lines`. */
export function capturedLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}
