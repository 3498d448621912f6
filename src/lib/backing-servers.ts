import type { Config } from '../config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startEmbeddedRedis } from './embedded-redis';
import type { Logger } from './logger';
import { ensureSystemPackages, REDIS_SERVER } from './system-packages';

export type Close = () => Promise<void> | void;

/**
 * DATABASE_URL and REDIS_URL, or embedded servers under DATA_DIR (stopped through teardown).
 * Without `redis` (commands that need only PostgreSQL) no Redis is started or looked for.
 */
export async function startBackingServers(config: Config, logger: Logger, teardown: Close[]): Promise<{ databaseUrl: string; redisUrl: string }>;
export async function startBackingServers(config: Config, logger: Logger, teardown: Close[], options: { redis?: boolean }): Promise<{ databaseUrl: string; redisUrl: string | undefined }>;
export async function startBackingServers(
  config: Config,
  logger: Logger,
  teardown: Close[],
  options: { redis?: boolean } = {},
): Promise<{ databaseUrl: string; redisUrl: string | undefined }> {
  const needsRedis = options.redis !== false;
  // Before PostgreSQL's first start (seconds): a missing redis-server stops at once, or is installed.
  if (needsRedis && !config.redisUrl) ensureSystemPackages([REDIS_SERVER]);
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres(config.dataDir, 'mailpref', logger);
    teardown.push(() => embedded.stop());
    databaseUrl = embedded.url;
  }
  let redisUrl = config.redisUrl;
  if (needsRedis && !redisUrl) {
    const embedded = await startEmbeddedRedis(config.dataDir, logger);
    teardown.push(() => embedded.stop());
    redisUrl = embedded.url;
  }
  return { databaseUrl, redisUrl: needsRedis ? redisUrl : undefined };
}

/** Closes what teardown holds, last-in first-out; a close that fails is logged and the rest still run. */
export function closeInReverse(teardown: Close[], logger: Logger): () => Promise<void> {
  return async () => {
    while (teardown.length > 0) {
      const close = teardown.pop()!;
      try {
        await close();
      } catch (error) {
        logger.warn({ err: error }, 'error while shutting down');
      }
    }
  };
}
