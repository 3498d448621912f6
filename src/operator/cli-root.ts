import { loadConfig } from '../config';
import { AppError } from '../lib/errors';
import { createLogger } from '../lib/logger';
import { createRoot, type Root } from '../main';

/**
 * Runs one CLI action on a root (quiet logging) and always closes it. A user error (bad cron
 * pattern, unknown schedule) prints one line and sets exit code 1 instead of a stack trace.
 */
export async function withCliRoot(action: (root: Root) => Promise<void>): Promise<void> {
  // `mailpref schedule list | head` closes stdout early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const config = loadConfig();
  const root = await createRoot(config, { logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel) });
  let failed = false;
  try {
    await action(root);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    process.stderr.write(`mailpref: ${error.message}\n`);
    failed = true;
  } finally {
    await root.stop();
  }
  // Exit explicitly: a library's handle must not keep the command alive, nor hide the failure.
  if (failed) process.exit(1);
}
