import type { Job, Worker } from 'bullmq';
import type { Logger } from '../lib/logger';
import type { JobRunsStore } from './job-runs-store';

/** The BullMQ job scheduler id of a schedule row. */
export function schedulerId(scheduleId: number): string {
  return `schedule-${scheduleId}`;
}

/** The schedule a job belongs to: made by its scheduler, or queued with "run now" from it. */
export function scheduleIdOf(job: Job): number | null {
  const match = /^schedule-(\d+)$/.exec(job.repeatJobKey ?? '');
  if (match) return Number(match[1]);
  const fromData = (job.data as { scheduleId?: unknown } | undefined)?.scheduleId;
  return typeof fromData === 'number' && Number.isInteger(fromData) ? fromData : null;
}

/**
 * Writes each attempt of each job to job_runs from the worker's own events, so start, duration,
 * outcome, counts (the job's return value) and failure reason outlive BullMQ's retention in Redis.
 * A recording error is logged and never fails the job.
 */
export function recordRuns(worker: Worker, store: JobRunsStore, logger: Logger): void {
  const kind = worker.name;
  const warn = (error: unknown) => logger.warn({ err: error, queue: kind }, 'could not record a job run');
  // Events fire in order per job, but the inserts are async: chain them per job so "finished"
  // never overtakes "started".
  const pending = new Map<string, Promise<void>>();
  const chain = (jobId: string, step: () => Promise<void>) => {
    const next = (pending.get(jobId) ?? Promise.resolve()).then(step).catch(warn);
    pending.set(jobId, next);
    void next.finally(() => {
      if (pending.get(jobId) === next) pending.delete(jobId);
    });
  };

  worker.on('active', (job) => {
    chain(job.id!, () =>
      store.started({
        kind,
        jobId: job.id!,
        jobName: job.name,
        scheduleId: scheduleIdOf(job),
        attempt: job.attemptsStarted || job.attemptsMade + 1,
        data: job.data,
        startedAt: new Date(job.processedOn ?? Date.now()),
      }),
    );
  });
  worker.on('completed', (job, result) => {
    chain(job.id!, () => store.finished(kind, job.id!, { outcome: 'completed', finishedAt: new Date(job.finishedOn ?? Date.now()), result: result ?? null }));
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const unrecoverable = error.name === 'UnrecoverableError';
    const willRetry = !unrecoverable && job.attemptsMade < (job.opts.attempts ?? 1);
    chain(job.id!, () =>
      store.finished(kind, job.id!, { outcome: 'failed', finishedAt: new Date(job.finishedOn ?? Date.now()), failureReason: error.message, willRetry }),
    );
  });
}

