import { loadConfig } from '../config';
import { closeInReverse, startBackingServers, type Close } from '../lib/backing-servers';
import { isUserError, type CliRunner } from '../lib/cli-commands';
import { Db } from '../lib/db';
import { createLogger } from '../lib/logger';
import { createRoot, type Root, type RootOptions } from '../root';

/**
 * Runs one CLI action on a root (quiet logging) and always closes it. A user error (bad cron
 * pattern, unknown schedule, a list that cannot be read) prints one line and sets exit code 1
 * instead of a stack trace.
 */
export async function withCliRoot(action: (root: Root) => Promise<void>, options: Pick<RootOptions, 'redis'> = {}): Promise<void> {
  // `mailpref schedule list | head` closes stdout early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const config = loadConfig();
  const root = await createRoot(config, { ...options, logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel) });
  let failed = false;
  try {
    await action(root);
  } catch (error) {
    if (!isUserError(error)) throw error;
    process.stderr.write(`mailpref: ${error.message}\n`);
    failed = true;
  } finally {
    await root.stop();
  }
  // Exit explicitly: a library's handle must not keep the command alive, nor hide the failure.
  if (failed) process.exit(1);
}

/** A feature's runner (lib/cli-commands.ts): the root, and from it what `pick` hands the feature. */
export function cliRunner<Deps>(pick: (root: Root) => Deps, options: Pick<RootOptions, 'redis'> = {}): CliRunner<Deps> {
  return (action) => withCliRoot((root) => action(pick(root)), options);
}

/**
 * `mailpref migrate` only: the database, before anything of the app may run on it (DATABASE_URL,
 * or the embedded PostgreSQL under DATA_DIR).
 */
export async function withCliDatabase(action: (db: Db) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const teardown: Close[] = [];
  const stop = closeInReverse(teardown, logger);
  try {
    const { databaseUrl } = await startBackingServers(config, logger, teardown, { redis: false });
    const db = new Db(databaseUrl);
    teardown.push(() => db.close());
    await db.checkReachable('DATABASE_URL');
    await action(db);
  } finally {
    await stop();
  }
}
