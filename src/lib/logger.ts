import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  // Buffered: under load one write carries many request lines instead of one system call each.
  // A quiet server's lines still show within a second, and pino writes out what is left when the
  // process exits (a crash included).
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // ended (the process is exiting): nothing left to write
    }
  }, 1000).unref();
  return pino(
    {
      level,
      // Postcard codes and API keys must never reach a log line.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.code', '*.apiKey', '*.password'], censor: '[redacted]' },
    },
    destination,
  );
}
