import { loadConfig } from '../config';
import { AppError } from '../lib/errors';
import { createLogger } from '../lib/logger';
import { createRoot, type Root } from '../main';

/**
 * Runs one CLI action on a root (quiet logging) and always closes it. A user error (bad cron
 * pattern, unknown schedule) prints one line and sets exit code 1 instead of a stack trace.
 */
export async function withCliRoot(action: (root: Root) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const root = await createRoot(config, { logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel) });
  try {
    await action(root);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    process.stderr.write(`mailpref: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await root.stop();
  }
}
