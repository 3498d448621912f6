import type { Config } from '../config';
import { closeInReverse, startBackingServers, type Close } from '../lib/backing-servers';
import { Db } from '../lib/db';
import { createLogger } from '../lib/logger';
import { migrate } from '../lib/migrate';
import { startProcessGroup, type ProcessKind } from '../lib/process-group';
import { checkRedisReachable } from '../lib/redis';
import { loadServerSecret } from '../lib/server-secret';
import { stopOnSignals } from './process';

/**
 * The primary of a group of web or worker processes: starts the embedded servers (unless their
 * URLs are set), migrates and creates the server secret once, then forks the processes
 * (src/lib/process-group.ts) and stops them on a signal.
 */
export async function runPrimary(config: Config, kind: ProcessKind, count: number, nodeFlags: string[]): Promise<void> {
  const logger = createLogger(config.logLevel);
  const teardown: Close[] = [];
  const stop = closeInReverse(teardown, logger);
  try {
    // One PostgreSQL and one Redis for every process: rate-limit counters, sessions and queues are shared.
    const { databaseUrl, redisUrl } = await startBackingServers(config, logger, teardown);
    const db = new Db(databaseUrl, { max: 1 });
    try {
      await db.checkReachable('DATABASE_URL');
      const result = await migrate(db);
      if (result.applied.length > 0) logger.info({ applied: result.applied }, 'migrations applied');
    } finally {
      await db.close();
    }
    await checkRedisReachable(redisUrl, 'REDIS_URL');
    loadServerSecret(config); // fails fast in production without SESSION_SECRET; creates the file once otherwise
    const group = await startProcessGroup(kind, count, { env: { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl }, nodeFlags }, logger);
    teardown.push(() => group.stop());
    if (kind === 'web') logger.info({ webProcesses: count, port: config.http.port }, 'web processes listening');
    else logger.info({ workerProcesses: count, nodeFlags }, 'worker processes started');
  } catch (error) {
    await stop();
    throw error;
  }
  stopOnSignals({ logger, stop });
}
