import IORedis, { type Redis } from 'ioredis';
import { ConfigError } from '../config';
import { describeError } from './db';

export type { Redis };

/**
 * A connection BullMQ can use (it requires maxRetriesPerRequest: null for blocking commands).
 * `autoPipelining` sends the commands issued during one turn of the event loop in one write: under
 * load the web form's many small commands (rate limits, sessions) then cost one system call per
 * batch instead of one each. Not for BullMQ's connection, whose blocking commands must not wait.
 */
export function createRedisConnection(url: string, options: { autoPipelining?: boolean; commandTimeoutMs?: number } = {}): Redis {
  const connection = new IORedis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: false,
    enableAutoPipelining: options.autoPipelining ?? false,
    ...(options.commandTimeoutMs ? { commandTimeout: options.commandTimeoutMs } : {}),
  });
  connection.on('error', () => undefined); // reconnects on its own; health checks report the state
  return connection;
}

/**
 * An error of a Redis command that did not get its answer: timed out (a frozen or overloaded
 * server), or given up on while the connection was down. A request that meets one is answered 503.
 */
export function isRedisUnavailable(error: unknown): boolean {
  const message = (error as Error | undefined)?.message ?? '';
  return message === 'Command timed out' || message === 'Connection is closed.' || (error as Error | undefined)?.name === 'MaxRetriesPerRequestError';
}

/** A connection that fails fast while Redis is down, for health checks. */
export function createProbeConnection(url: string): Redis {
  const connection = new IORedis(url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 1_000,
    retryStrategy: () => 500,
  });
  connection.on('error', () => undefined);
  return connection;
}

export async function pingRedis(connection: Redis, timeoutMs = 1_000): Promise<void> {
  const ready =
    connection.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((resolve) => connection.once('ready', () => resolve()));
  await Promise.race([
    ready.then(() => connection.ping()),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`not reachable (${connection.status})`)), timeoutMs).unref()),
  ]);
}

/** Fails with a one-line error naming the setting when Redis cannot be reached. */
export async function checkRedisReachable(url: string, setting: string): Promise<void> {
  const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3_000, retryStrategy: () => null });
  let socketError: unknown;
  probe.on('error', (error) => (socketError = error));
  try {
    await probe.connect();
    await pingRedis(probe, 3_000);
  } catch (failure) {
    const error = socketError ?? failure;
    const where = (() => {
      try {
        const parsed = new URL(url);
        return `${parsed.hostname}:${parsed.port || '6379'}`;
      } catch {
        return 'the configured URL';
      }
    })();
    throw new ConfigError(setting, `cannot connect to Redis at ${where} (${describeError(error)})`);
  } finally {
    probe.disconnect();
  }
}
