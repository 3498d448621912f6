import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    // Postcard codes and API keys must never reach a log line.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.code', '*.apiKey', '*.password'], censor: '[redacted]' },
  });
}
