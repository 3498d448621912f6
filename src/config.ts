import path from 'node:path';

/** Thrown when a setting is invalid or a configured server cannot be reached; names the setting. */
export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  env: 'development' | 'production' | 'test';
  /** webProcesses: how many processes `mailpref serve` runs on the one port (WEB_PROCESSES). */
  http: {
    host: string;
    port: number;
    publicUrl: string;
    /** PUBLIC_URL is unset: links written into files (print files) point at this machine. */
    publicUrlIsDefault: boolean;
    /** CONTACT_EMAIL: shown on the household contact page (without it, the page points to the postcard). */
    contactEmail: string | undefined;
    trustProxy: boolean;
    webProcesses: number;
    /**
     * A request that sends nothing for this long is answered 408 (UPLOAD_IDLE_TIMEOUT_MS). There is
     * no limit on a request's total time: a 2 GiB upload at 50 KB/s takes 12 hours.
     */
    idleTimeoutMs: number;
  };
  /** Undefined means: start the embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  /** Undefined means: start a private redis-server under dataDir. */
  redisUrl: string | undefined;
  dataDir: string;
  /** Uploads, outputs, reports, print files (FILES_DIR, default <DATA_DIR>/files); shared by every worker machine. */
  filesDir: string;
  logLevel: LogLevel;
  /**
   * concurrency: jobs of each kind one worker process runs at once (WORKER_CONCURRENCY);
   * processes: worker processes one `mailpref worker` runs (WORKER_PROCESSES); nodeFlags: the
   * Node.js/V8 flags they run with (WORKER_NODE_FLAGS).
   */
  queue: { prefix: string; concurrency: number; processes: number; nodeFlags: string[]; retry: RetryPolicy };
  loadSampleData: boolean;
  sessionSecret: string | undefined;
  /** Recipient side: postcard codes and the web form's brute-force limits. */
  choices: { codeValidityDays: number; attemptsPerIp: number; failedAttemptsPerCode: number; failedAttemptsGlobal: number; attemptWindowMinutes: number };
  /** Days after a job completes before purge-expired deletes its files (RETENTION_DAYS). */
  retentionDays: number;
  lists: ListsConfig;
  /** Mailers' webhooks (WEBHOOK_*): see lists/webhooks/list-webhooks.ts. */
  webhooks: { allowPrivate: boolean; attempts: number; retryDelayMs: number; timeoutMs: number };
}

/**
 * How a failed job is retried: `attempts` in all (JOB_ATTEMPTS), the first retry after
 * `firstDelayMs`, each next one after twice as long, never more than `maxDelayMs`
 * (JOB_RETRY_MAX_DELAY_MS). The defaults retry for about 3.5 minutes, so that a job outlasts a
 * database or Redis restart of a minute or more.
 */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export interface ListsConfig {
  /** Largest upload accepted (LIST_MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
  /** How long a cleansed list may be mailed after its snapshot (FRESHNESS_DAYS). */
  freshnessDays: number;
  /** Lists with more data than this are split into chunks of about this size (LIST_CHUNK_BYTES). */
  chunkBytes: number;
  /** A worker that stops renewing its lock this long is presumed dead; its job is retried (JOB_LOCK_MS). */
  jobLockMs: number;
  /**
   * How often a worker looks for lists left queued or running with no job left to finish them
   * (LIST_WATCHDOG_MS); one found twice in a row is settled (list-watchdog.ts).
   */
  watchdogMs: number;
}

type Env = Record<string, string | undefined>;

function read(env: Env, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = read(env, key);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(key, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(key, `expected a number from ${min} to ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, key: string, fallback: boolean): boolean {
  const raw = read(env, key)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(key, `expected true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, key);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(key, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/**
 * The workers' Node.js flags, for list cleansing, which is CPU-bound. --single-threaded-gc: with
 * one worker process per core, a collection's helper threads only wait for a core that another
 * worker is using, and the collection waits for them. --initial-heap-size=128 (MB): a worker's
 * heap holds ~30 MB, and V8 sized its old space so closely to that that it ran a full collection
 * every ~300 ms of a cleanse (27 ms each); with room to grow it runs a few a job. In bench:cleanse
 * runs paired back to back: --single-threaded-gc made two workers 10-20% faster; the heap size
 * made one worker ~8% faster (4.48 s against 4.88 s at 2M rows) and two no faster measurably.
 */
const DEFAULT_WORKER_NODE_FLAGS = ['--single-threaded-gc', '--initial-heap-size=128'];

/** Flags for a node command line, space-separated; set but empty means none. */
function nodeFlags(env: Env, key: string, fallback: string[]): string[] {
  const raw = env[key];
  if (raw === undefined) return fallback;
  const flags = raw.split(/\s+/).filter(Boolean);
  const bad = flags.find((flag) => !/^--?[a-z]/i.test(flag));
  if (bad !== undefined) throw new ConfigError(key, `expected Node.js flags such as --single-threaded-gc, got "${bad}"`);
  return flags;
}

function url(env: Env, key: string, protocols: string[]): string | undefined {
  const raw = read(env, key);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(key, `not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(key, `expected a ${protocols.join(' or ')}// URL, got ${parsed.protocol}//`);
  }
  return raw;
}

/** Reads and validates the whole configuration once; every key has a default that works on a fresh machine. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const dataDir = path.resolve(cwd, read(env, 'DATA_DIR') ?? '.data');
  const host = read(env, 'HOST') ?? '127.0.0.1';
  const givenPublicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']);
  const publicUrl = (givenPublicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    env: nodeEnv,
    http: { host, port, publicUrl, publicUrlIsDefault: givenPublicUrl === undefined, contactEmail: read(env, 'CONTACT_EMAIL'), trustProxy: boolean(env, 'TRUST_PROXY', false), webProcesses: integer(env, 'WEB_PROCESSES', 1, 1, 64), idleTimeoutMs: integer(env, 'UPLOAD_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000) },
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    dataDir,
    filesDir: path.resolve(cwd, read(env, 'FILES_DIR') ?? path.join(dataDir, 'files')),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    queue: {
      prefix: read(env, 'QUEUE_PREFIX') ?? 'mailpref',
      concurrency: integer(env, 'WORKER_CONCURRENCY', 2, 1, 64),
      processes: integer(env, 'WORKER_PROCESSES', 1, 1, 64),
      nodeFlags: nodeFlags(env, 'WORKER_NODE_FLAGS', DEFAULT_WORKER_NODE_FLAGS),
      retry: {
        attempts: integer(env, 'JOB_ATTEMPTS', 12, 1, 1000),
        firstDelayMs: integer(env, 'JOB_RETRY_DELAY_MS', 1_000, 1, 3_600_000),
        maxDelayMs: integer(env, 'JOB_RETRY_MAX_DELAY_MS', 30_000, 1, 24 * 3_600_000),
      },
    },
    // Never by default in production: the demo mailer's key and demo codes are public (README).
    loadSampleData: boolean(env, 'LOAD_SAMPLE_DATA', nodeEnv !== 'production'),
    sessionSecret: read(env, 'SESSION_SECRET'),
    choices: {
      codeValidityDays: integer(env, 'CODE_VALIDITY_DAYS', 365, 1, 3650),
      attemptsPerIp: integer(env, 'FORM_ATTEMPTS_PER_IP', 30, 1, 1_000_000_000),
      failedAttemptsPerCode: integer(env, 'FORM_FAILED_ATTEMPTS_PER_CODE', 5, 1, 1_000_000_000),
      failedAttemptsGlobal: integer(env, 'FORM_FAILED_ATTEMPTS_GLOBAL', 1000, 1, 1_000_000_000),
      attemptWindowMinutes: integer(env, 'FORM_ATTEMPT_WINDOW_MINUTES', 15, 1, 1440),
    },
    retentionDays: integer(env, 'RETENTION_DAYS', 30, 0, 3650),
    lists: {
      maxUploadBytes: integer(env, 'LIST_MAX_UPLOAD_BYTES', 2 * 1024 ** 3, 1, 1024 ** 4),
      freshnessDays: integer(env, 'FRESHNESS_DAYS', 31, 1, 3650),
      chunkBytes: integer(env, 'LIST_CHUNK_BYTES', 4 * 1024 ** 2, 1024, 1024 ** 4),
      jobLockMs: integer(env, 'JOB_LOCK_MS', 30_000, 500, 3_600_000),
      watchdogMs: integer(env, 'LIST_WATCHDOG_MS', 60_000, 100, 24 * 3_600_000),
    },
    webhooks: {
      // Off by default: a mailer must not make the server post to its own machine or network.
      allowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', false),
      attempts: integer(env, 'WEBHOOK_ATTEMPTS', 8, 1, 50),
      retryDelayMs: integer(env, 'WEBHOOK_RETRY_DELAY_MS', 10_000, 1, 86_400_000),
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
    },
  };
}
