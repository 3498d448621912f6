import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Config } from '../../config';
import type { JobKind } from '../../job-kinds';
import { ConflictError } from '../../lib/errors';
import { retryOptions, type QueueFactory } from '../../lib/queues';
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

/**
 * The BullMQ ids of a list's jobs, fixed so that a retried job re-adds the same ones (which
 * BullMQ ignores when they exist): the list's `cleanse` job has the list's id; a chunked list's
 * flows have a parent (`merge`, or `index` for a de-duplicated list's key pass) with one child per
 * chunk (`chunk` / `keys`), and the merge a `hash` child in its own queue.
 */
export function listJobId(listId: string, part?: 'merge' | 'index' | 'hash'): string;
export function listJobId(listId: string, part: 'chunk' | 'keys', index: number): string;
export function listJobId(listId: string, part?: string, index?: number): string {
  if (!part) return listId;
  return index === undefined ? `${listId}-${part}` : `${listId}-${part}-${index}`;
}

// A job in one of these states will still run (or is running): its list is not stranded.
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'waiting-children', 'prioritized', 'paused']);

/** Whether any job will still carry a list to its end; when none will, why the last one failed. */
export interface ListJobsState {
  live: boolean;
  /** Whether BullMQ holds any job of the list at all (none: Redis lost them, or they were cleared). */
  found: boolean;
  failedReason?: string;
}

/**
 * The queue side of a list: queues its cleanse, tells whether its jobs will still finish it, and
 * clears them so that it can be run again under the same ids.
 */
export class ListQueue {
  constructor(private readonly queues: QueueFactory) {}

  private get cleanse(): Queue {
    return this.queues.queue(CLEANSE_QUEUE);
  }

  /** Queues a list's cleanse; its id is the job's, so a list queued twice is cleansed once. */
  async enqueue(listId: string): Promise<void> {
    await this.cleanse.add('cleanse', { listId }, { jobId: listJobId(listId) });
  }

  /**
   * A list is carried by its cleanse job, then by the parent of its flow (the merge, or first the
   * index): a flow's parent waits for its children, and fails when one of them fails for good. The
   * hash job, a child of the merge, is not asked: once the merge has failed it only polls for a
   * part no chunk will write, until it sees its list failed.
   */
  async state(listId: string): Promise<ListJobsState> {
    let found = false;
    let failed: Job | undefined;
    for (const id of [listJobId(listId), listJobId(listId, 'index'), listJobId(listId, 'merge')]) {
      const job = await this.cleanse.getJob(id);
      if (!job) continue;
      found = true;
      const state = await job.getState();
      if (LIVE_STATES.has(state)) return { live: true, found };
      if (state === 'failed') failed = job;
    }
    return { live: false, found, failedReason: failed ? await this.reasonOf(listId, failed) : undefined };
  }

  /** A failed flow parent's reason names only the child that failed it: that child's own reason is the one to give. */
  private async reasonOf(listId: string, failed: Job): Promise<string> {
    if (failed.name === 'cleanse') return failed.failedReason;
    const children = [...(await this.jobsOfFlows(listId)), await this.queues.queue(CLEANSE_HASH_QUEUE).getJob(listJobId(listId, 'hash'))];
    for (const child of children) if (child && (await child.getState()) === 'failed') return child.failedReason;
    return failed.failedReason;
  }

  /** Every chunk and keys job of the list, found by their ids (they are numbered from 0). */
  private async jobsOfFlows(listId: string): Promise<Job[]> {
    const jobs: Job[] = [];
    for (const part of ['keys', 'chunk'] as const) {
      for (let index = 0; ; index++) {
        const job = await this.cleanse.getJob(listJobId(listId, part, index));
        if (!job) break;
        jobs.push(job);
      }
    }
    return jobs;
  }

  /**
   * Removes every job of a list whose jobs have all ended, so that a new run can use the same ids.
   * A job still running (a chunk finishing after its flow failed, a hash job not yet stopped) is a
   * conflict: it ends within moments.
   */
  async clear(listId: string): Promise<void> {
    const hash = await this.queues.queue(CLEANSE_HASH_QUEUE).getJob(listJobId(listId, 'hash'));
    const jobs = [...(await this.jobsOfFlows(listId)), ...(hash ? [hash] : [])];
    for (const id of [listJobId(listId, 'merge'), listJobId(listId, 'index'), listJobId(listId)]) {
      const job = await this.cleanse.getJob(id);
      if (job) jobs.push(job);
    }
    if (await someActive(jobs)) throw new ConflictError(`Some jobs of list ${listId} are still stopping; try again in a minute`, 'LIST_BUSY');
    for (const job of jobs) await job.remove({ removeChildren: true }).catch(async (error: unknown) => {
      // Already removed with its parent.
      if (await this.exists(job)) throw error;
    });
  }

  private async exists(job: Job): Promise<boolean> {
    return (await job.getState()) !== 'unknown';
  }
}

async function someActive(jobs: Job[]): Promise<boolean> {
  for (const job of jobs) if ((await job.getState()) === 'active') return true;
  return false;
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
function chunkJob(queues: QueueFactory, listId: string, names: FlowNames, chunk: ListChunk) {
  return { name: names.child, data: { listId, chunk }, opts: { jobId: listJobId(listId, names.child, chunk.index), ...retryOptions(queues.retry), failParentOnFailure: true } };
}

/**
 * One job per chunk under a parent that runs once they have all completed; the merge's children
 * include the hash job of the chunks' parts. `total`: how many chunks there will be, unknown when
 * the split starts the flow with the first ones and adds the rest as it cuts them (addToFlow).
 * The merge cannot run early: its hash job ends only once it has hashed the last chunk's parts.
 */
async function startFlow(queues: QueueFactory, listId: string, names: FlowNames, chunks: ListChunk[], total?: number): Promise<void> {
  const children = chunks.map((chunk) => ({ ...chunkJob(queues, listId, names, chunk), queueName: CLEANSE_QUEUE }));
  const hashes = { name: 'hash', queueName: CLEANSE_HASH_QUEUE, data: { listId, chunkCount: total }, opts: { jobId: listJobId(listId, 'hash'), ...retryOptions(queues.retry), failParentOnFailure: true } };
  await queues.flowProducer().add({
    name: names.parent,
    queueName: CLEANSE_QUEUE,
    data: { listId },
    opts: { jobId: listJobId(listId, names.parent), ...retryOptions(queues.retry) },
    children: names.parent === 'merge' ? [hashes, ...children] : children,
  });
}

/** More chunks for a flow that startFlow started. */
async function addToFlow(queues: QueueFactory, listId: string, names: FlowNames, chunks: ListChunk[]): Promise<void> {
  const queue = queues.queue(CLEANSE_QUEUE);
  const parent = { id: listJobId(listId, names.parent), queue: queue.qualifiedName };
  await queue.addBulk(chunks.map((chunk) => {
    const job = chunkJob(queues, listId, names, chunk);
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
