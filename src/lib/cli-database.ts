import { loadConfig, type Config } from '../config';
import { Db } from './db';
import { AppError, InputError } from './errors';
import { startEmbeddedPostgres } from './embedded-postgres';
import { createLogger } from './logger';
import { migrate } from './migrate';

/**
 * For CLI commands that need only the database: DATABASE_URL, or the embedded PostgreSQL under
 * DATA_DIR (the same data `npm start` uses), migrated, and closed again when fn returns.
 */
export async function runWithDatabase<T>(fn: (db: Db, config: Config) => Promise<T>, config: Config = loadConfig(), options: { migrate?: boolean } = {}): Promise<T> {
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir, 'mailpref', logger);
  const db = new Db(config.databaseUrl ?? embedded!.url);
  try {
    await db.checkReachable('DATABASE_URL');
    if (options.migrate !== false) await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
    await embedded?.stop();
  }
}

/** Wraps a command's action: a user's mistake (an AppError, or an InputError: bad input) prints one line and exits 1. */
export function cliAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const userFacing = error instanceof AppError || error instanceof InputError;
      if (!userFacing) throw error;
      process.stderr.write(`mailpref: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  };
}
