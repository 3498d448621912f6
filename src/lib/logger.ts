import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino(
    {
      level,
      // Postcard codes and API keys must never reach a log line.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.code', '*.apiKey', '*.password'], censor: '[redacted]' },
    },
    // Asynchronous: lines logged while a write is under way go out together in the next one (one
    // system call for many request logs under load); pino flushes what is left when the process exits.
    pino.destination({ dest: 1, sync: false }),
  );
}
