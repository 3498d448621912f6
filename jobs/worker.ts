import type { Worker } from 'bullmq';
import type { Root } from '../src/main';
import { processStatistics } from './statistics';
import { processIssuePostcards } from './issue-postcards';
import { processImportReturnedCards } from './import-returned-cards';

/** Starts one BullMQ worker per job kind in this process; each processor only calls a service. */
export function startWorkers(root: Root): Worker[] {
  const { queues, services, config, logger } = root;
  const options = { concurrency: config.queue.concurrency };
  const workers = [
    queues.worker('statistics', (job) => processStatistics(services.statistics, job), options),
    queues.worker('issue-postcards', (job) => processIssuePostcards(services.postcards, job), options),
    queues.worker('import-returned-cards', (job) => processImportReturnedCards(services.cardImport, job), options),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) => logger.warn({ queue: worker.name, jobId: job?.id, reason: error.message }, 'job failed'));
    worker.on('completed', (job) => logger.info({ queue: worker.name, jobId: job.id }, 'job completed'));
  }
  return workers;
}
