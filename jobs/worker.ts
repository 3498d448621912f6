import type { Worker } from 'bullmq';
import type { Root } from '../src/main';
import { processStatistics } from './statistics';

/** Starts one BullMQ worker per job kind in this process; each processor only calls a service. */
export function startWorkers(root: Root): Worker[] {
  const { queues, services, config, logger } = root;
  const options = { concurrency: config.queue.concurrency };
  const workers = [queues.worker('statistics', (job) => processStatistics(services.statistics, job), options)];
  for (const worker of workers) {
    worker.on('failed', (job, error) => logger.warn({ queue: worker.name, jobId: job?.id, reason: error.message }, 'job failed'));
    worker.on('completed', (job) => logger.info({ queue: worker.name, jobId: job.id }, 'job completed'));
  }
  return workers;
}
