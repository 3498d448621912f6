import type { Job, Queue, WorkerOptions } from 'bullmq';
import type { Config } from './config';
import type { CardImportService } from './choices/card-import-service';
import { processImportReturnedCards } from './choices/import-returned-cards-job';
import { processIssuePostcards } from './choices/issue-postcards-job';
import type { PostcardService } from './choices/postcard-service';
import type { Logger } from './lib/logger';
import type { QueueFactory } from './lib/queues';
import { CLEANSE_JOB_KINDS } from './lists/jobs/cleanse-flow';
import { processListWebhook } from './lists/webhooks/list-webhook-job';
import { LIST_WEBHOOK_QUEUE, type ListWebhooks } from './lists/webhooks/list-webhooks';
import type { ListJobRunner } from './lists/jobs/list-job-runner';
import type { ListsService } from './lists/lists-service';
import { processApplyMoves } from './moves/apply-moves-job';
import type { MovesService } from './moves/moves-service';
import { processPurgeExpired } from './retention/purge-expired-job';
import type { PurgeService } from './retention/purge-service';
import { processStatistics } from './statistics/statistics-job';
import type { StatisticsService } from './statistics/statistics-service';

/** The services processors call (handed over by the worker start-up, src/start/worker.ts). */
export interface JobServices {
  statistics: StatisticsService;
  postcards: PostcardService;
  cardImport: CardImportService;
  purge: PurgeService;
  moves: MovesService;
  listJobs: ListJobRunner;
  lists: Pick<ListsService, 'requeuePending'>;
  listWebhooks: ListWebhooks;
}

export interface JobContext {
  services: JobServices;
  queues: QueueFactory;
  logger: Logger;
}

/**
 * A kind of batch job. Each kind has its own BullMQ queue, named after it, and one processor
 * that only calls a service.
 */
export interface JobKind {
  name: string;
  /** What one run does: shown beside the kind in the console's schedule form and `mailpref schedule set --help`. */
  description: string;
  /** Operators may schedule it and run it now; the others' jobs are started by other jobs. */
  schedulable: boolean;
  process(job: Job, context: JobContext): Promise<unknown>;
  /** Worker options beyond the default concurrency (QUEUE_CONCURRENCY). */
  workerOptions?(config: Pick<Config, 'lists'>): Partial<WorkerOptions>;
  /** Called for a job of this queue that a worker's stalled check found (its worker died or hung). */
  onStalled?(jobId: string, queue: Queue, context: JobContext): Promise<unknown>;
}

/**
 * Every job kind, the one list: the worker start-up, the schedule validation and help, the
 * console's kind picker and run filters, the dashboard's queue figures and Bull Board's queues are
 * derived from it. A new kind is one entry here and its processor in its feature's folder.
 */
export const JOB_KINDS: readonly JobKind[] = [
  {
    name: 'statistics',
    description: 'Takes a snapshot of households accepting and refusing each category, and of lists cleansed, for the dashboard chart.',
    schedulable: true,
    process: (job, { services }) => processStatistics(services.statistics, job),
  },
  {
    name: 'issue-postcards',
    description: 'Issues postcards for the households that asked for a new card (or for the stored address file named by {"inputKey": "…"}).',
    schedulable: true,
    process: (job, { services }) => processIssuePostcards(services.postcards, job),
  },
  {
    name: 'import-returned-cards',
    description: 'Imports the stored card file named by {"inputKey": "…"}; files uploaded on the Imports page are imported at once.',
    schedulable: true,
    process: (job, { services }) => processImportReturnedCards(services.cardImport, job),
  },
  {
    name: 'purge-expired',
    description: 'Deletes uploaded and produced files past the retention window, expired postcard codes and expired console and portal sessions; keeps summaries and choice history.',
    schedulable: true,
    process: (job, { services }) => processPurgeExpired(services.purge, job),
  },
  {
    name: 'apply-moves',
    description: 'Applies every uploaded change-of-address file that is still waiting (uploads are applied at once unless their job failed to queue).',
    schedulable: true,
    process: (job, { services }) => processApplyMoves(services.moves, job),
  },
  ...CLEANSE_JOB_KINDS,
  {
    name: LIST_WEBHOOK_QUEUE,
    description: "Posts a list's completion or failure to its mailer's webhook, signed; retried with growing pauses until the receiver answers 2xx. Started when a list ends.",
    schedulable: false,
    process: (job, { services }) => processListWebhook(services.listWebhooks, job),
  },
];

/** The kinds operators may schedule, with what each does. */
export const SCHEDULABLE_KINDS = JOB_KINDS.filter((kind) => kind.schedulable).map(({ name, description }) => ({ name, description }));
