import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Config } from '../../config';
import type { JobKind } from '../../job-kinds';
import type { QueueFactory } from '../../lib/queues';
import type { RangeCounts } from '../cleanse';
import type { ChunkHashes, ListChunk } from '../cleanse';
import { ListInputError } from '../cleanse';
import type { ListJobRunner, Progress } from './list-job-runner';
import type { ListsService } from '../lists-service';

/**
 * The cleanse's queue protocol, all of it in this file: the queues and job names, job ids,
 * retries, enqueueing, the processors and the workers' lock settings, as two job kinds.
 */
export const CLEANSE_QUEUE = 'cleanse-list';

/**
 * The hash jobs of chunked lists: each waits for its list's chunks' parts and hashes them in
 * order. Its own queue, so that it runs beside the chunks instead of waiting for a worker they
 * keep busy. Jobs start these; operators see them in the queues board but do not schedule them.
 */
export const CLEANSE_HASH_QUEUE = 'cleanse-list-hash';

/** Queues a list's cleanse; its id is the job's, so a list queued twice is cleansed once. */
export async function enqueueCleanse(queues: QueueFactory, listId: string): Promise<void> {
  await queues.queue(CLEANSE_QUEUE).add('cleanse', { listId }, { jobId: listId });
}

type CleanseServices = { listJobs: ListJobRunner; lists: Pick<ListsService, 'requeuePending'> };

/**
 * The cleanse's two job kinds (in the one list, src/job-kinds.ts). A job's lock lasts
 * LIST_JOB_LOCK_MS and is checked for stalls as often: a worker killed mid-chunk frees its chunk
 * for another that soon. A stalled job that BullMQ fails marks its list failed (failListOfStalledJob).
 */
const lockOf = (config: Pick<Config, 'lists'>) => ({ lockDuration: config.lists.jobLockMs, stalledInterval: config.lists.jobLockMs });
const failStalled: JobKind['onStalled'] = (jobId, queue, { services }) => failListOfStalledJob(services.listJobs, queue, jobId);

export const CLEANSE_JOB_KINDS: readonly JobKind[] = [
  {
    name: CLEANSE_QUEUE,
    description: 'Queues again every list that is still waiting to be cleansed (or only the list named by {"listId": "…"}).',
    schedulable: true,
    process: (job, { services, queues }) => processCleanseList(services, queues, job),
    workerOptions: lockOf,
    onStalled: failStalled,
  },
  {
    name: CLEANSE_HASH_QUEUE,
    description: "Hashes a chunked list's outputs for its merge; started by the list's own jobs.",
    schedulable: false,
    process: (job, { services }) => processCleanseHashes(services, job),
    // A hash job mostly waits for its chunks' parts: a few at once cost little, and none waits for another.
    workerOptions: (config) => ({ concurrency: 4, ...lockOf(config) }),
    onStalled: failStalled,
  },
];

type CleanseJobData = { listId?: string; chunk?: ListChunk };
type ChunkValue = { index: number; counts: RangeCounts };
type HashValue = { hashes: ChunkHashes };

const RETRIED = { attempts: 3, backoff: { type: 'exponential', delay: 1_000 } };

/**
 * The cleanse-list queue holds these job names: `cleanse` (one per upload; small lists are done
 * right there, large ones start a flow), `chunk` (one byte range) and `merge` (the flow's parent,
 * run by BullMQ once every chunk has completed). A de-duplicated large list first runs a key flow:
 * `keys` (one byte range's delivery points and their first lines) and its parent `index`, which
 * makes the list's first-occurrence index and then starts the chunk flow.
 */
export async function processCleanseList(
  services: CleanseServices,
  queues: QueueFactory,
  job: Job<CleanseJobData>,
): Promise<unknown> {
  const { listId } = job.data;
  const runner = services.listJobs;
  // A job without a list (an operator's schedule or "run now"): queue every list still waiting.
  if (!listId) return { requeued: await services.lists.requeuePending() };
  const startChunks = (chunks: ListChunk[], total?: number) => startFlow(queues, listId, { parent: 'merge', child: 'chunk' }, chunks, total);
  const addChunks = (chunks: ListChunk[]) => addToFlow(queues, listId, { parent: 'merge', child: 'chunk' }, chunks);
  try {
    if (job.name === 'chunk') {
      const counts = await runner.runChunk(listId, job.data.chunk!, { progress: rangeProgress(runner, listId, job) });
      return { index: job.data.chunk!.index, counts };
    }
    if (job.name === 'keys') {
      const keys = await runner.runKeys(listId, job.data.chunk!, { progress: rangeProgress(runner, listId, job) });
      return { index: job.data.chunk!.index, chunk: job.data.chunk!, keys };
    }
    if (job.name === 'index') {
      const values = await job.getChildrenValues<{ chunk: ListChunk }>();
      const chunks = Object.values(values).map((value) => value.chunk);
      return { keys: await runner.runIndex(listId, chunks, { startChunks }) };
    }
    if (job.name === 'merge') {
      const values = Object.values(await job.getChildrenValues<ChunkValue | HashValue>());
      const hashed = values.find((value): value is HashValue => 'hashes' in value);
      if (!hashed) throw new Error(`the merge of list ${listId} has no hash job's result`);
      const summary = await runner.runMerge(
        listId,
        values.filter((value): value is ChunkValue => 'counts' in value),
        hashed.hashes,
      );
      return { rows: summary.rows };
    }
    const result = await runner.runCleanse(listId, {
      progress: throttled(async (rows, bytes) => {
        await job.updateProgress({ rows, bytes });
        await runner.progress(listId, rows, bytes);
      }),
      startChunks,
      addChunks,
      startKeyPass: (chunks) => startFlow(queues, listId, { parent: 'index', child: 'keys' }, chunks),
    });
    return result.status === 'completed' ? { rows: result.summary.rows } : result;
  } catch (error) {
    return failJob(runner, listId, job, error);
  }
}

/**
 * Bad input fails the list and the job, without retries; anything else fails the list on the
 * job's last attempt (and BullMQ retries the job until then).
 */
async function failJob(runner: Pick<ListJobRunner, 'fail'>, listId: string, job: Job, error: unknown): Promise<never> {
  if (error instanceof ListInputError) {
    // A list that stopped running while the job waited for it has its status and reason already.
    if (error.code !== 'NOT_RUNNING') await runner.fail(listId, error.message);
    throw new UnrecoverableError(error.message);
  }
  if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await runner.fail(listId, `Processing failed: ${(error as Error).message}`);
  throw error;
}

type FlowNames = { parent: 'merge' | 'index'; child: 'chunk' | 'keys' };

/** A chunk's job in a flow. Deterministic ids: a retried job re-adds the same jobs, which BullMQ ignores. */
function chunkJob(listId: string, names: FlowNames, chunk: ListChunk) {
  return { name: names.child, data: { listId, chunk }, opts: { jobId: `${listId}-${names.child}-${chunk.index}`, ...RETRIED, failParentOnFailure: true } };
}

/**
 * One job per chunk under a parent that runs once they have all completed; the merge's children
 * include the hash job of the chunks' parts. `total`: how many chunks there will be, unknown when
 * the split starts the flow with the first ones and adds the rest as it cuts them (addToFlow).
 * The merge cannot run early: its hash job ends only once it has hashed the last chunk's parts.
 */
async function startFlow(queues: QueueFactory, listId: string, names: FlowNames, chunks: ListChunk[], total?: number): Promise<void> {
  const children = chunks.map((chunk) => ({ ...chunkJob(listId, names, chunk), queueName: CLEANSE_QUEUE }));
  const hashes = { name: 'hash', queueName: CLEANSE_HASH_QUEUE, data: { listId, chunkCount: total }, opts: { jobId: `${listId}-hash`, ...RETRIED, failParentOnFailure: true } };
  await queues.flowProducer().add({
    name: names.parent,
    queueName: CLEANSE_QUEUE,
    data: { listId },
    opts: { jobId: `${listId}-${names.parent}`, ...RETRIED },
    children: names.parent === 'merge' ? [hashes, ...children] : children,
  });
}

/** More chunks for a flow that startFlow started. */
async function addToFlow(queues: QueueFactory, listId: string, names: FlowNames, chunks: ListChunk[]): Promise<void> {
  const queue = queues.queue(CLEANSE_QUEUE);
  const parent = { id: `${listId}-${names.parent}`, queue: queue.qualifiedName };
  await queue.addBulk(chunks.map((chunk) => {
    const job = chunkJob(listId, names, chunk);
    return { ...job, opts: { ...job.opts, parent } };
  }));
}

/** The hash job of a chunked list (CLEANSE_HASH_QUEUE): its outputs' SHA-256, for the merge. */
export async function processCleanseHashes(services: { listJobs: ListJobRunner }, job: Job<{ listId: string; chunkCount?: number }>): Promise<HashValue> {
  const { listId, chunkCount } = job.data;
  try {
    return { hashes: await services.listJobs.runHashes(listId, chunkCount) };
  } catch (error) {
    return failJob(services.listJobs, listId, job, error);
  }
}

/**
 * A chunk's progress, added to its list's. A retried job starts from what its earlier attempts
 * reported (BullMQ keeps a job's progress across attempts) and adds only what goes beyond it, so
 * the list's count never passes its rows and never has to go back. Reports run one after the
 * other: a range's last one must not start before the one still writing has set `reported`.
 */
function rangeProgress(runner: ListJobRunner, listId: string, job: Job<CleanseJobData>): Progress {
  const earlier = (typeof job.progress === 'object' ? job.progress : {}) as { rows?: number; bytes?: number };
  let reported = { rows: earlier.rows ?? 0, bytes: earlier.bytes ?? 0 };
  let writing: Promise<unknown> = Promise.resolve();
  const add = async (rows: number, bytes: number) => {
    if (rows <= reported.rows) return;
    await job.updateProgress({ rows, bytes });
    await runner.addProgress(listId, rows - reported.rows, Math.max(0, bytes - reported.bytes));
    reported = { rows, bytes };
  };
  return throttled((rows, bytes) => {
    const next = writing.then(() => add(rows, bytes));
    writing = next.catch(() => undefined);
    return next;
  });
}

/**
 * BullMQ fails a job that stalled (its worker died or hung past its lock) more often than it
 * allows without calling the processor again, so the processor's own last-attempt handling above
 * never marks the list failed, and the list would show "running" for ever. The worker whose
 * stalled check found the job calls this: when the job is now failed, so is its list. True when
 * it marked a list.
 */
export async function failListOfStalledJob(runner: Pick<ListJobRunner, 'fail'>, queue: Queue, jobId: string): Promise<boolean> {
  const job = (await queue.getJob(jobId)) as Job<CleanseJobData> | undefined;
  const listId = job?.data.listId;
  if (!job || !listId || (await job.getState()) !== 'failed') return false;
  await runner.fail(listId, `Processing failed: the worker processing it stopped responding, more often than is retried (${job.failedReason})`);
  return true;
}

/** Reports at most once a second (and a range's last figures always), and never lets a progress write fail the job. */
function throttled(report: (rows: number, bytes: number) => Promise<void>): Progress {
  let last = 0;
  return async (rows, bytes, done) => {
    const now = Date.now();
    if (!done && now - last < 1_000) return;
    last = now;
    await report(rows, bytes).catch(() => undefined);
  };
}
