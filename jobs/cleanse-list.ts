import { UnrecoverableError, type Job } from 'bullmq';
import type { QueueFactory } from '../src/lib/queues';
import type { RangeCounts } from '../src/lists/cleanse-range';
import type { ListChunk } from '../src/lists/list-cleanser';
import { ListInputError } from '../src/lists/list-dialect';
import type { ListJobRunner } from '../src/lists/list-job-runner';
import type { ListsService } from '../src/lists/lists-service';

export const CLEANSE_QUEUE = 'cleanse-list';

type CleanseJobData = { listId?: string; chunk?: ListChunk };

/**
 * The cleanse-list queue holds three job names: `cleanse` (one per upload; small lists are done
 * right there, large ones start a flow), `chunk` (one byte range) and `merge` (the flow's parent,
 * run by BullMQ once every chunk has completed).
 */
export async function processCleanseList(
  services: { listJobs: ListJobRunner; lists: Pick<ListsService, 'requeuePending'> },
  queues: QueueFactory,
  job: Job<CleanseJobData>,
): Promise<unknown> {
  const { listId } = job.data;
  const runner = services.listJobs;
  // A job without a list (an operator's schedule or "run now"): queue every list still waiting.
  if (!listId) return { requeued: await services.lists.requeuePending() };
  try {
    if (job.name === 'chunk') {
      let reported = { rows: 0, bytes: 0 };
      const counts = await runner.runChunk(listId, job.data.chunk!, {
        progress: throttled(async (rows, bytes) => {
          await job.updateProgress({ rows, bytes });
          await runner.addProgress(listId, rows - reported.rows, bytes - reported.bytes);
          reported = { rows, bytes };
        }),
      });
      return { index: job.data.chunk!.index, counts };
    }
    if (job.name === 'merge') {
      const values = await job.getChildrenValues<{ index: number; counts: RangeCounts }>();
      const summary = await runner.runMerge(listId, Object.values(values));
      return { rows: summary.rows };
    }
    const result = await runner.runCleanse(listId, {
      progress: throttled(async (rows, bytes) => {
        await job.updateProgress({ rows, bytes });
        await runner.progress(listId, rows, bytes);
      }),
      startChunks: async (chunks) => {
        // Deterministic ids: a retried split re-adds the same flow, which BullMQ ignores.
        await queues.flowProducer().add({
          name: 'merge',
          queueName: CLEANSE_QUEUE,
          data: { listId },
          opts: { jobId: `${listId}-merge`, attempts: 3, backoff: { type: 'exponential', delay: 1_000 } },
          children: chunks.map((chunk) => ({
            name: 'chunk',
            queueName: CLEANSE_QUEUE,
            data: { listId, chunk },
            opts: { jobId: `${listId}-chunk-${chunk.index}`, attempts: 3, backoff: { type: 'exponential', delay: 1_000 }, failParentOnFailure: true },
          })),
        });
      },
    });
    return result.status === 'completed' ? { rows: result.summary.rows } : result;
  } catch (error) {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (error instanceof ListInputError) {
      await runner.fail(listId, error.message);
      throw new UnrecoverableError(error.message);
    }
    if (finalAttempt) await runner.fail(listId, `Processing failed: ${(error as Error).message}`);
    throw error;
  }
}

/** Reports at most once a second, and never lets a progress write fail the job. */
function throttled(report: (rows: number, bytes: number) => Promise<void>): (rows: number, bytes: number) => Promise<void> {
  let last = 0;
  return async (rows, bytes) => {
    const now = Date.now();
    if (now - last < 1_000) return;
    last = now;
    await report(rows, bytes).catch(() => undefined);
  };
}
