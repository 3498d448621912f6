import type { Worker } from 'bullmq';
import type { Root } from '../src/main';
import { recordRuns } from '../src/schedules/run-recorder';
import { processApplyMoves } from './apply-moves';
import { processPurgeExpired } from './purge-expired';
import { processStatistics } from './statistics';
import { processIssuePostcards } from './issue-postcards';
import { processImportReturnedCards } from './import-returned-cards';
import { startCleanseWorkers } from '../src/lists/jobs/cleanse-flow';

/** Starts one BullMQ worker per job kind in this process; each processor only calls a service. */
export function startWorkers(root: Root): Worker[] {
  const { queues, services, config, logger } = root;
  const options = { concurrency: config.queue.concurrency };
  const workers = [
    queues.worker('statistics', (job) => processStatistics(services.statistics, job), options),
    queues.worker('issue-postcards', (job) => processIssuePostcards(services.postcards, job), options),
    queues.worker('import-returned-cards', (job) => processImportReturnedCards(services.cardImport, job), options),
    queues.worker('purge-expired', (job) => processPurgeExpired(services.purge, job), options),
    queues.worker('apply-moves', (job) => processApplyMoves(services.moves, job), options),
    ...startCleanseWorkers(queues, services, { concurrency: config.queue.concurrency, lockMs: config.lists.jobLockMs }, logger),
  ];
  for (const worker of workers) {
    recordRuns(worker, services.jobRuns, logger);
    // Bad input (an UnrecoverableError) names what it found in the file — a header that is a
    // household's name and address, say — so its reason stays with the job (the list's error, the
    // run record), never in the log; a fault's message is logged.
    worker.on('failed', (job, error) =>
      logger.warn({ queue: worker.name, jobId: job?.id, ...(error.name === 'UnrecoverableError' ? { badInput: true } : { reason: error.message }) }, 'job failed'),
    );
    worker.on('completed', (job) => logger.info({ queue: worker.name, jobId: job.id }, 'job completed'));
  }
  // Schedules are defined in Postgres; make BullMQ's schedulers match them (after a Redis flush too).
  services.schedules.reconcile().catch((error) => logger.error({ err: error }, 'could not install the job schedules'));
  return workers;
}
