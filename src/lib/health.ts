import type { Db } from './db';
import { describeError } from './db';
import { pingRedis, type Redis } from './redis';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: { postgres: string; redis: string };
}

/** Really asks both servers; a part that does not answer within a second is reported down. */
export async function checkHealth(db: Db, redis: Redis): Promise<HealthReport> {
  const [postgres, redisState] = await Promise.all([
    Promise.race([
      db.query('SELECT 1').then(() => 'ok'),
      new Promise<string>((resolve) => setTimeout(() => resolve('down: timed out'), 1_000).unref()),
    ]).catch((error: unknown) => `down: ${describeError(error)}`),
    pingRedis(redis).then(() => 'ok', (error: unknown) => `down: ${describeError(error)}`),
  ]);
  return { status: postgres === 'ok' && redisState === 'ok' ? 'ok' : 'unavailable', checks: { postgres, redis: redisState } };
}
