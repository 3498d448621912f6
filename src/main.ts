import cluster from 'node:cluster';
import http from 'node:http';
import type { Express } from 'express';
import { startWorkers } from '../jobs/worker';
import { loadConfig, ConfigError, type Config } from './config';
import { CategoriesService } from './categories/categories-service';
import { CategoriesStore } from './categories/categories-store';
import { categoriesRoutes } from './categories/categories-routes';
import { createChoicesServices, type ChoicesServices } from './choices/choices-services';
import { localFileStorage, type FileStorage } from './lib/file-storage';
import { loadSampleChoices } from './choices/sample-data';
import { createRecipientRouter } from './choices/recipient-router';
import { householdErrorPage } from './choices/recipient-routes';
import { Db } from './lib/db';
import { startEmbeddedPostgres } from './lib/embedded-postgres';
import { startEmbeddedRedis } from './lib/embedded-redis';
import { ensureSystemPackages, REDIS_SERVER } from './lib/system-packages';
import { checkHealth } from './lib/health';
import { createHttpApp } from './lib/http-app';
import { createLogger, type Logger } from './lib/logger';
import { migrate } from './lib/migrate';
import { QueueFactory } from './lib/queues';
import { checkRedisReachable, createProbeConnection, createRedisConnection, type Redis } from './lib/redis';
import { AuditService } from './audit/audit-service';
import { AuditStore } from './audit/audit-store';
import { StatisticsService } from './statistics/statistics-service';
import { StatisticsStore } from './statistics/statistics-store';
import { createOperatorServices, type OperatorServices } from './operator/operator-services';
import { operatorRoutes } from './operator/operator-routes';
import { ensureFirstOperator } from './operator/first-operator';
import { JOB_KINDS } from './lib/queues';
import { MailersService } from './mailers/mailers-service';
import { PurgeService } from './retention/purge-service';
import { MailersStore } from './mailers/mailers-store';
import { MailerSessionsStore } from './mailers/mailer-sessions-store';
import { ListsService } from './lists/lists-service';
import { ListsStore } from './lists/lists-store';
import { enqueueCleanse } from './lists/jobs/cleanse-flow';
import { ListJobRunner } from './lists/jobs/list-job-runner';
import { RefusedKeysStore } from './lists/jobs/refused-keys-store';
import { listsRoutes } from './lists/web/lists-routes';
import { loadListsSampleData } from './lists/lists-sample-data';
import { mailerPortalRoutes } from './lists/web/mailer-portal-routes';
import { deriveKey, loadServerSecret } from './lib/server-secret';
import { signalReady, startProcessGroup, type ProcessKind } from './lib/process-group';

/** The composition root: config → db → redis → stores → services → app / workers. */
export interface Root {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  queues: QueueFactory;
  /** Uploads, outputs, reports and print files, by key (default `<DATA_DIR>/files`). */
  files: FileStorage;
  /** Keys code hashes, sessions and CSRF tokens (SESSION_SECRET, or one kept under DATA_DIR); read once. */
  secret: Buffer;
  services: Services;
  /** Adds a resource to close on stop(); closed last-in, first-out. */
  onStop(close: () => Promise<void> | void): void;
  stop(): Promise<void>;
}

export interface Services extends ChoicesServices, OperatorServices {
  categories: CategoriesService;
  statistics: StatisticsService;
  mailers: MailersService;
  lists: ListsService;
  listJobs: ListJobRunner;
  purge: PurgeService;
}

export interface RootOptions {
  logger?: Logger;
  /** Apply pending migrations while starting (the default). */
  migrate?: boolean;
}

/** DATABASE_URL and REDIS_URL, or embedded servers under DATA_DIR (stopped through teardown). */
export async function startBackingServers(config: Config, logger: Logger, teardown: Close[]): Promise<{ databaseUrl: string; redisUrl: string }> {
  // Before PostgreSQL's first start (seconds): a missing redis-server stops at once, or is installed.
  if (!config.redisUrl) ensureSystemPackages([REDIS_SERVER]);
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres(config.dataDir, 'mailpref', logger);
    teardown.push(() => embedded.stop());
    databaseUrl = embedded.url;
  }
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    const embedded = await startEmbeddedRedis(config.dataDir, logger);
    teardown.push(() => embedded.stop());
    redisUrl = embedded.url;
  }
  return { databaseUrl, redisUrl };
}

export type Close = () => Promise<void> | void;

/** Closes what teardown holds, last-in first-out; a close that fails is logged and the rest still run. */
function closeInReverse(teardown: Close[], logger: Logger): () => Promise<void> {
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

export async function createRoot(config: Config, options: RootOptions = {}): Promise<Root> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const teardown: Close[] = [];
  const stop = closeInReverse(teardown, logger);

  try {
    const { databaseUrl, redisUrl } = await startBackingServers(config, logger, teardown);

    const db = new Db(databaseUrl);
    teardown.push(() => db.close());
    await db.checkReachable('DATABASE_URL');
    await checkRedisReachable(redisUrl, 'REDIS_URL');
    if (options.migrate !== false) {
      const result = await migrate(db);
      if (result.applied.length > 0) logger.info({ applied: result.applied }, 'migrations applied');
    }

    const redis = createRedisConnection(redisUrl);
    teardown.push(() => void redis.disconnect());
    const queues = new QueueFactory(redis, config.queue.prefix);
    teardown.push(() => queues.close());

    const files = localFileStorage(config.filesDir);
    const secret = loadServerSecret(config);
    const categoriesStore = new CategoriesStore(db);
    const statisticsStore = new StatisticsStore(db);
    const listsStore = new ListsStore(db);
    const audit = new AuditService(new AuditStore(db));
    const categories = new CategoriesService(categoriesStore, audit);
    const mailers = new MailersService(new MailersStore(db), new MailerSessionsStore(db));
    const choicesServices = createChoicesServices(config, db, categories, files, secret);
    const operatorServices = createOperatorServices({ db, queues, files, config, logger, audit, kinds: JOB_KINDS, mailers, choices: choicesServices.choices, secret });
    const lists = new ListsService(listsStore, categories, files, config.lists, (listId) => enqueueCleanse(queues, listId));
    const services: Services = {
      categories,
      statistics: new StatisticsService(statisticsStore, logger),
      ...choicesServices,
      ...operatorServices,
      mailers,
      lists,
      purge: new PurgeService(
        { moves: operatorServices.moves, lists, jobRuns: operatorServices.operatorJobs, accessCodes: choicesServices.accessCodes, operators: operatorServices.operators, mailers },
        config.retentionDays,
      ),
      listJobs: new ListJobRunner(listsStore, new RefusedKeysStore(db), files, config.lists),
    };

    return {
      config,
      logger,
      db,
      redis,
      queues,
      files,
      secret,
      services,
      onStop: (close) => teardown.push(close),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The HTTP app for a root; a fresh probe connection makes /healthz fail fast while Redis is down. */
export function createApp(root: Root): Express {
  const url = redisUrlOf(root.redis);
  const probe = createProbeConnection(url);
  root.onStop(() => void probe.disconnect());
  // The household form's sessions and rate limits: many small commands, auto-pipelined (one write
  // per event-loop turn); only a web process needs this connection.
  const formRedis = createRedisConnection(url, { autoPipelining: true });
  root.onStop(() => void formRedis.disconnect());
  return createHttpApp({
    logger: root.logger,
    trustProxy: root.config.http.trustProxy,
    errorPage: householdErrorPage(root.config.env === 'production' || root.config.http.publicUrl.startsWith('https:')),
    health: () => checkHealth(root.db, probe),
    routers: [
      createRecipientRouter(root, formRedis),
      categoriesRoutes(root.services.categories),
      operatorRoutes(root),
      listsRoutes(root.services),
      mailerPortalRoutes(root.services, {
        secure: root.config.env === 'production' || root.config.http.publicUrl.startsWith('https:'),
        csrfKey: deriveKey(root.secret, 'mailer-csrf'),
      }),
    ],
  });
}

function redisUrlOf(redis: Redis): string {
  const { host, port, password, username, db } = redis.options;
  const auth = password ? `${encodeURIComponent(username ?? '')}:${encodeURIComponent(password)}@` : '';
  return `redis://${auth}${host ?? '127.0.0.1'}:${port ?? 6379}/${db ?? 0}`;
}

/** Listens on the configured port; the server is closed on root.stop(). */
export async function listen(root: Root, app: Express): Promise<http.Server> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ConfigError('PORT', `port ${root.config.http.port} is already in use`) : error),
    );
    server.listen(root.config.http.port, root.config.http.host, resolve);
  });
  root.onStop(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  );
  return server;
}

/** Runs until SIGINT/SIGTERM, then closes everything in reverse order. */
export function stopOnSignals(root: Pick<Root, 'logger' | 'stop'>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    root.logger.info({ signal }, 'shutting down');
    root.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** Prints a ConfigError as one line; anything else keeps its stack (it is a bug). */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`mailpref: ${error.message}\n`);
  } else {
    process.stderr.write(`mailpref: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
}

/**
 * `mailpref serve`: the web server and API. With WEB_PROCESSES > 1 this process becomes the
 * primary of that many web processes on the one port (runPrimary).
 */
export async function serve(config: Config = loadConfig()): Promise<void> {
  if (config.http.webProcesses > 1 && cluster.isPrimary) {
    await runPrimary(config, 'web', config.http.webProcesses, []);
    return;
  }
  // A forked web process finds the migrations applied by its primary.
  const root = await createRoot(config, { migrate: cluster.isPrimary });
  stopOnSignals(root);
  const server = await listen(root, createApp(root));
  root.logger.info({ address: server.address() }, 'listening');
  signalReady();
}

/**
 * `mailpref worker`: the batch job workers. Their Node.js flags (WORKER_NODE_FLAGS) exist only on
 * a node command line, so unless this process was started with them, or WORKER_PROCESSES > 1, it
 * becomes the primary of WORKER_PROCESSES worker processes started with them (runPrimary).
 *
 * The default flags are for list cleansing, which is CPU-bound (config.ts says why each).
 */
export async function work(config: Config = loadConfig()): Promise<void> {
  const { processes, nodeFlags } = config.queue;
  if (cluster.isPrimary && (processes > 1 || nodeFlags.some((flag) => !process.execArgv.includes(flag)))) {
    await runPrimary(config, 'worker', processes, nodeFlags);
    return;
  }
  const root = await createRoot(config, { migrate: cluster.isPrimary });
  stopOnSignals(root);
  const workers = startWorkers(root);
  root.logger.info({ queues: workers.map((worker) => worker.name) }, 'workers started');
  signalReady();
}

/**
 * The primary of a group of web or worker processes: starts the embedded servers (unless their
 * URLs are set), migrates and creates the server secret once, then forks the processes
 * (src/lib/process-group.ts) and stops them on a signal.
 */
async function runPrimary(config: Config, kind: ProcessKind, count: number, nodeFlags: string[]): Promise<void> {
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

/** `npm start`: web server and workers in one process, on embedded servers unless URLs are set. */
export async function startAllInOne(config: Config = loadConfig()): Promise<Root> {
  const root = await createRoot(config);
  stopOnSignals(root);
  const demo = await loadSampleChoices(root);
  const firstOperator = await ensureFirstOperator(root.services.operators);
  const demoMailer = await loadListsSampleData(root);
  startWorkers(root);
  const server = await listen(root, createApp(root));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const base = config.http.host === '0.0.0.0' ? `http://localhost:${port}` : `http://${config.http.host}:${port}`;
  process.stdout.write(
    [
      '',
      `mailpref is running (${config.databaseUrl ? 'DATABASE_URL' : 'embedded PostgreSQL'}, ${config.redisUrl ? 'REDIS_URL' : 'private Redis'}; data in ${config.dataDir})`,
      `  recipients   ${base}/`,
      `  categories   ${base}/categories`,
      `  health       ${base}/healthz`,
      `  mailers      ${base}/mailer  (API: ${base}/api/v1/openapi.json)`,
      ...(demoMailer ? [`  sign in to the mailer portal with the demo API key ${demoMailer.apiKey}`] : []),
      ...(demo ? [`  try the form with the demo postcard code ${demo.code} and ZIP ${demo.zip}`] : []),
      `  operators    ${base}/operator`,
      ...(firstOperator
        ? [`               first sign-in: ${firstOperator.email} with the one-time password ${firstOperator.password}`, '               (shown once; you choose your own password when you sign in)']
        : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  return root;
}

if (require.main === module) {
  startAllInOne().catch(exitOnStartupError);
}
