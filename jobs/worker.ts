import type { Worker } from 'bullmq';
import type { Root } from '../src/main';
import { recordRuns } from '../src/schedules/run-recorder';
import { processApplyMoves } from './apply-moves';
import { processPurgeExpired } from './purge-expired';
import { processStatistics } from './statistics';
import { processIssuePostcards } from './issue-postcards';
import { processImportReturnedCards } from './import-returned-cards';
import { CLEANSE_HASH_QUEUE } from '../src/lib/queues';
import { CLEANSE_QUEUE, failListOfStalledJob, processCleanseHashes, processCleanseList } from '../src/lists/jobs/cleanse-list';

/** Starts one BullMQ worker per job kind in this process; each processor only calls a service. */
export function startWorkers(root: Root): Worker[] {
  const { queues, services, config, logger } = root;
  const options = { concurrency: config.queue.concurrency };
  const cleanse = queues.worker(CLEANSE_QUEUE, (job) => processCleanseList(services, queues, job), {
    ...options,
    lockDuration: config.lists.jobLockMs,
    stalledInterval: config.lists.jobLockMs,
  });
  // A hash job mostly waits for its chunks' parts: a few at once cost little, and none waits for another.
  const hashes = queues.worker(CLEANSE_HASH_QUEUE, (job) => processCleanseHashes(services, job), {
    concurrency: 4,
    lockDuration: config.lists.jobLockMs,
    stalledInterval: config.lists.jobLockMs,
  });
  for (const worker of [cleanse, hashes]) {
    worker.on('stalled', (jobId) => {
      failListOfStalledJob(services.listJobs, queues.queue(worker.name), jobId).catch((error) => logger.error({ err: error, jobId }, 'could not mark the list of a stalled job failed'));
    });
  }
  const workers = [
    queues.worker('statistics', (job) => processStatistics(services.statistics, job), options),
    queues.worker('issue-postcards', (job) => processIssuePostcards(services.postcards, job), options),
    queues.worker('import-returned-cards', (job) => processImportReturnedCards(services.cardImport, job), options),
    queues.worker('purge-expired', (job) => processPurgeExpired(services.purge, job), options),
    queues.worker('apply-moves', (job) => processApplyMoves(services.moves, job), options),
    cleanse,
    hashes,
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
