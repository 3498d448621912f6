import cluster from 'node:cluster';
import type { Worker } from 'bullmq';
import { loadConfig, type Config } from '../config';
import { signalReady } from '../lib/process-group';
import { createRoot, type Root } from '../root';
import { runPrimary } from './primary';
import { stopOnSignals } from './process';
import { recordRuns } from '../schedules/run-recorder';
import { JOB_KINDS, type JobContext } from '../job-kinds';

/**
 * Starts one BullMQ worker per job kind of the registry (src/job-kinds.ts) in this process; each
 * processor only calls a service, and every run is recorded (job_runs).
 */
export function startWorkers(root: Root): Worker[] {
  const { queues, services, config, logger } = root;
  const context: JobContext = { services, queues, logger };
  const workers = JOB_KINDS.map((kind) => {
    const worker = queues.worker(kind.name, (job) => kind.process(job, context), { concurrency: config.queue.concurrency, ...kind.workerOptions?.(config) });
    if (kind.onStalled) {
      const onStalled = kind.onStalled;
      worker.on('stalled', (jobId) => {
        onStalled(jobId, queues.queue(kind.name), context).catch((error) => logger.error({ err: error, jobId }, 'could not mark the list of a stalled job failed'));
      });
    }
    return worker;
  });
  for (const worker of workers) {
    recordRuns(worker, services.jobRuns, logger);
    // Bad input (an UnrecoverableError) names what it found in the file — a header that is a
    // household's name and address, say — so its reason stays with the job (the list's error, the
    // run record), never in the log; a fault's message is logged.
    worker.on('failed', (job, error) =>
      logger.warn({ queue: worker.name, jobId: job?.id, ...(error.name === 'UnrecoverableError' ? { badInput: true } : { reason: error.message }) }, 'job failed'),
    );
    worker.on('completed', (job) => logger.info({ queue: worker.name, jobId: job.id }, 'job completed'));
    // A job whose lock lapsed (its worker died, or Redis was down for longer than the lock lasts)
    // is run again, or failed once it has stalled too often.
    worker.on('stalled', (jobId) => logger.warn({ queue: worker.name, jobId }, 'job stalled: its lock lapsed; it is run again'));
  }
  // Lists whose jobs ended without recording it (the database was down) are settled by a sweep.
  root.onStop(services.listWatchdog.start(config.lists.watchdogMs));
  // Schedules are defined in Postgres; make BullMQ's schedulers match them, at start and each time
  // the connection to Redis is ready again: a Redis restarted without its data (a flush, no
  // persistence) has lost them.
  const reconcile = () => void services.schedules.reconcile().catch((error) => logger.error({ err: error }, 'could not install the job schedules'));
  reconcile();
  root.redis.on('ready', reconcile);
  root.onStop(() => void root.redis.off('ready', reconcile));
  return workers;
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
