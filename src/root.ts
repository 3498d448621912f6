import type { Express } from 'express';
import type { Config } from './config';
import { AuditService } from './audit/audit-service';
import { AuditStore } from './audit/audit-store';
import { categoriesRoutes } from './categories/categories-routes';
import { CategoriesService } from './categories/categories-service';
import { CategoriesStore } from './categories/categories-store';
import { AccessCodesService } from './choices/access-codes-service';
import { StoreLoadService } from './choices/store-load-service';
import { CardImportService } from './choices/card-import-service';
import { ChoicesService } from './choices/choices-service';
import { CodeGuessAlert } from './choices/code-guess-alert';
import { formSecurity } from './choices/form-security';
import { PostcardRequestService } from './choices/postcard-request-service';
import { PostcardService } from './choices/postcard-service';
import { householdErrorPage, recipientRoutes, tooManyAttempts } from './choices/recipient-routes';
import { RecipientSessionService } from './choices/recipient-session-service';
import { closeInReverse, startBackingServers, type Close } from './lib/backing-servers';
import { Db } from './lib/db';
import { localFileStorage, type FileStorage } from './lib/file-storage';
import { checkHealth } from './lib/health';
import { createHttpApp } from './lib/http-app';
import { createLogger, type Logger } from './lib/logger';
import { migrate } from './lib/migrate';
import { QueueFactory } from './lib/queues';
import { JOB_KINDS, SCHEDULABLE_KINDS } from './job-kinds';
import { checkRedisReachable, createProbeConnection, createRedisConnection, type Redis } from './lib/redis';
import { deriveKey, loadServerSecret } from './lib/server-secret';
import { ListQueue } from './lists/jobs/cleanse-flow';
import { ListJobRunner } from './lists/jobs/list-job-runner';
import { ListWatchdog } from './lists/jobs/list-watchdog';
import { RefusedKeysStore } from './lists/jobs/refused-keys-store';
import { ListsService } from './lists/lists-service';
import { ListsStore } from './lists/lists-store';
import { listsRoutes } from './lists/web/lists-routes';
import { mailerPortalRoutes } from './lists/web/mailer-portal-routes';
import { webhookApiRoutes } from './lists/web/webhook-api-routes';
import { ListWebhooks } from './lists/webhooks/list-webhooks';
import { WebhookDeliveriesStore } from './lists/webhooks/webhook-deliveries-store';
import { WebhookSettingsService } from './mailers/webhook-settings-service';
import { WebhookSettingsStore } from './mailers/webhook-settings-store';
import { MailerSessionsStore } from './mailers/mailer-sessions-store';
import { MailersConsoleService } from './mailers/mailers-console-service';
import { MailersConsoleStore } from './mailers/mailers-console-store';
import { MailersService } from './mailers/mailers-service';
import { MailersStore } from './mailers/mailers-store';
import { MovesService } from './moves/moves-service';
import { MovesStore } from './moves/moves-store';
import { operatorRoutes } from './operator/operator-routes';
import { OperatorsService } from './operator/operators-service';
import { OperatorsStore } from './operator/operators-store';
import { PurgeService } from './retention/purge-service';
import { JobRunsStore } from './schedules/job-runs-store';
import { OperatorJobsService } from './schedules/operator-jobs-service';
import { SchedulesService } from './schedules/schedules-service';
import { SchedulesStore } from './schedules/schedules-store';
import { StatisticsService } from './statistics/statistics-service';
import { StatisticsStore } from './statistics/statistics-store';

/**
 * The composition root: config → db → redis → stores → services → app. The only place that
 * creates services; the server, the workers, every CLI command and the tests start from here
 * (process start-up is in src/start/). Features are handed the narrow dependencies they need and
 * never import this file.
 */
export interface Root {
  config: Config;
  logger: Logger;
  db: Db;
  /** Throws for a root created without Redis (`redis: false`). */
  redis: Redis;
  queues: QueueFactory;
  /** Uploads, outputs, reports and print files, by key (default `<DATA_DIR>/files`). */
  files: FileStorage;
  /** Keys code hashes, sessions and CSRF tokens (SESSION_SECRET, or one kept under DATA_DIR); read once. */
  secret: Buffer;
  services: Services;
  /** Adds a resource to close on stop(); closed last-in, first-out. */
  onStop(close: Close): void;
  stop(): Promise<void>;
}

export interface Services {
  categories: CategoriesService;
  choices: ChoicesService;
  accessCodes: AccessCodesService;
  postcards: PostcardService;
  postcardRequests: PostcardRequestService;
  cardImport: CardImportService;
  /** mailpref store load: an operator's delivery-point file into the store. */
  storeLoad: StoreLoadService;
  /** Key of the web form's CSRF tokens and rate-limit keys (derived from the server secret). */
  formKey: Buffer;
  statistics: StatisticsService;
  mailers: MailersService;
  mailersConsole: MailersConsoleService;
  lists: ListsService;
  listJobs: ListJobRunner;
  /** Settles lists that no job will finish (each worker process runs it, src/start/worker.ts). */
  listWatchdog: ListWatchdog;
  /** A mailer's webhook address and signing secret. */
  webhookSettings: WebhookSettingsService;
  /** Queues, delivers and records each list's webhook event. */
  listWebhooks: ListWebhooks;
  /** The households' refusals as the cleanse reads them (lists' read model over choices). */
  refusedKeys: RefusedKeysStore;
  audit: AuditService;
  operators: OperatorsService;
  /** The console's CSRF key, derived from the server secret (SESSION_SECRET) like the household form's. */
  operatorCsrfKey: Buffer;
  schedules: SchedulesService;
  /** Written from worker events (the run recorder), read through schedules. */
  jobRuns: JobRunsStore;
  operatorJobs: OperatorJobsService;
  moves: MovesService;
  purge: PurgeService;
}

export interface RootOptions {
  logger?: Logger;
  /** Apply pending migrations while starting (the default). */
  migrate?: boolean;
  /**
   * false: a command that needs only PostgreSQL and the files (cleanse, postcards, cards, mailers):
   * no Redis is started or connected, so it runs beside a running `npm start` without a second
   * private Redis on the same data directory; a queue used by mistake throws.
   */
  redis?: boolean;
}

/** Every service, each created once with the narrow dependencies it needs. */
function createServices(deps: { config: Config; logger: Logger; db: Db; queues: QueueFactory; files: FileStorage; secret: Buffer }): Services {
  const { config, logger, db, queues, files, secret } = deps;
  const audit = new AuditService(new AuditStore(db));
  const categories = new CategoriesService(new CategoriesStore(db), audit);
  const choices = new ChoicesService(db);
  const accessCodes = new AccessCodesService(db, deriveKey(secret, 'access-code'), config.choices.codeValidityDays);
  const mailers = new MailersService(new MailersStore(db), new MailerSessionsStore(db));
  const listsStore = new ListsStore(db);
  const refusedKeys = new RefusedKeysStore(db);
  const listQueue = new ListQueue(queues);
  const lists = new ListsService(listsStore, categories, files, config.lists, listQueue);
  const webhookSettings = new WebhookSettingsService(new WebhookSettingsStore(db), deriveKey(secret, 'webhook-secret'), config.webhooks);
  const listWebhooks = new ListWebhooks(listsStore, new WebhookDeliveriesStore(db), webhookSettings, queues, { ...config.webhooks, publicUrl: config.http.publicUrl }, logger);
  const jobRuns = new JobRunsStore(db);
  const operators = new OperatorsService(new OperatorsStore(db), audit);
  const operatorJobs = new OperatorJobsService(files, queues, jobRuns, audit);
  const moves = new MovesService(db, choices, new MovesStore(db), files, queues, audit);
  return {
    categories,
    choices,
    accessCodes,
    postcards: new PostcardService(db, accessCodes, config.http.publicUrl, files),
    postcardRequests: new PostcardRequestService(db),
    cardImport: new CardImportService(db, accessCodes, choices, categories, files),
    storeLoad: new StoreLoadService(db, categories),
    formKey: deriveKey(secret, 'web-form'),
    statistics: new StatisticsService(new StatisticsStore(db), logger),
    mailers,
    mailersConsole: new MailersConsoleService(mailers, lists, new MailersConsoleStore(db), audit),
    lists,
    listJobs: new ListJobRunner(listsStore, refusedKeys, files, config.lists, (listId, event) => listWebhooks.notify(listId, event)),
    listWatchdog: new ListWatchdog(listsStore, listQueue, logger, (listId) => listWebhooks.notify(listId, 'list.failed')),
    webhookSettings,
    listWebhooks,
    refusedKeys,
    audit,
    operators,
    operatorCsrfKey: deriveKey(secret, 'operator-csrf'),
    schedules: new SchedulesService(new SchedulesStore(db), jobRuns, queues, audit, SCHEDULABLE_KINDS, logger),
    jobRuns,
    operatorJobs,
    moves,
    purge: new PurgeService({ moves, lists, jobRuns: operatorJobs, accessCodes, operators, mailers }, config.retentionDays),
  };
}

const withoutRedis = (): never => {
  throw new Error('this command runs without Redis: it cannot queue jobs');
};

export async function createRoot(config: Config, options: RootOptions = {}): Promise<Root> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const teardown: Close[] = [];
  const stop = closeInReverse(teardown, logger);

  try {
    const { databaseUrl, redisUrl } = await startBackingServers(config, logger, teardown, { redis: options.redis });

    const db = new Db(databaseUrl);
    teardown.push(() => db.close());
    await db.checkReachable('DATABASE_URL');
    if (redisUrl) await checkRedisReachable(redisUrl, 'REDIS_URL');
    if (options.migrate !== false) {
      const result = await migrate(db);
      if (result.applied.length > 0) logger.info({ applied: result.applied }, 'migrations applied');
    }

    const redis = redisUrl ? createRedisConnection(redisUrl) : undefined;
    if (redis) teardown.push(() => void redis.disconnect());
    const queues = new QueueFactory(redis ?? withoutRedis, config.queue.prefix, config.queue.retry);
    teardown.push(() => queues.close());

    const files = localFileStorage(config.filesDir);
    const secret = loadServerSecret(config);
    const services = createServices({ config, logger, db, queues, files, secret });

    return {
      config,
      logger,
      db,
      get redis() {
        return redis ?? withoutRedis();
      },
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

const FORM_REDIS_TIMEOUT_MS = 2_000;

/** The HTTP app for a root; a fresh probe connection makes /healthz fail fast while Redis is down. */
export function createApp(root: Root): Express {
  const { config, services } = root;
  const url = redisUrlOf(root.redis);
  const probe = createProbeConnection(url);
  root.onStop(() => void probe.disconnect());
  // The household form's sessions and rate limits: many small commands, auto-pipelined (one write
  // per event-loop turn); only a web process needs this connection.
  // A command waits at most 2 s: with Redis frozen a household gets a 503 page within seconds
  // instead of a page that never loads.
  const formRedis = createRedisConnection(url, { autoPipelining: true, commandTimeoutMs: FORM_REDIS_TIMEOUT_MS });
  root.onStop(() => void formRedis.disconnect());
  // Cookies are Secure in production or behind an https PUBLIC_URL.
  const secure = config.env === 'production' || config.http.publicUrl.startsWith('https:');
  const codeGuessAlert = new CodeGuessAlert(formRedis, config.queue.prefix, root.logger, { limit: config.choices.failedAttemptsGlobal, windowMinutes: config.choices.attemptWindowMinutes });
  return createHttpApp({
    logger: root.logger,
    trustProxy: config.http.trustProxy,
    errorPage: householdErrorPage(secure),
    health: () => checkHealth(root.db, probe),
    routers: [
      recipientRoutes({
        ...services,
        recipientSessions: new RecipientSessionService(formRedis, config.queue.prefix, services.accessCodes),
        secureCookies: secure,
        freshnessDays: config.lists.freshnessDays,
        contactEmail: config.http.contactEmail,
        security: formSecurity({ secure, formKey: services.formKey, redis: formRedis, prefix: config.queue.prefix, limits: config.choices, onLimit: tooManyAttempts(secure), onGlobalLimit: () => codeGuessAlert.raise() }),
      }),
      categoriesRoutes(services.categories),
      operatorRoutes({ services, queues: root.queues, codeGuessAlert, boardQueues: JOB_KINDS.map((kind) => kind.name), redis: root.redis, queuePrefix: config.queue.prefix, secure }),
      listsRoutes(services),
      webhookApiRoutes(services),
      mailerPortalRoutes(services, { secure, csrfKey: deriveKey(root.secret, 'mailer-csrf') }),
    ],
  });
}

function redisUrlOf(redis: Redis): string {
  const { host, port, password, username, db } = redis.options;
  const auth = password ? `${encodeURIComponent(username ?? '')}:${encodeURIComponent(password)}@` : '';
  return `redis://${auth}${host ?? '127.0.0.1'}:${port ?? 6379}/${db ?? 0}`;
}
