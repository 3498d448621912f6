import { FlowProducer, Queue, QueueEvents, Worker, type Job, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import type { RetryPolicy } from '../config';
import type { Redis } from './redis';

export type { Job, Processor };

// BullMQ's exponential backoff has no ceiling: its 12th retry would wait over half an hour.
const CAPPED = 'capped-exponential';

/** A job's retry options under a policy: its attempts, and the capped backoff its worker computes. */
export function retryOptions(policy: RetryPolicy): Pick<JobsOptions, 'attempts' | 'backoff'> {
  return { attempts: policy.attempts, backoff: { type: CAPPED, delay: policy.firstDelayMs } };
}

/** The wait before retry number `attemptsMade` (1 for the first): doubling from the first delay, up to the ceiling. */
export function retryDelay(policy: RetryPolicy, attemptsMade: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(Math.max(attemptsMade - 1, 0), 40));
}

/**
 * Creates the BullMQ queues and workers for one Redis connection and key prefix. Tests give each
 * file its own prefix, so queues never see another test's jobs.
 */
export class QueueFactory {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly events: QueueEvents[] = [];
  private readonly duplicates: Redis[] = [];
  private flows?: FlowProducer;

  /** `connection`: a function for a root without Redis, which throws when a queue is first used. */
  constructor(
    private readonly redis: Redis | (() => Redis),
    readonly prefix: string,
    readonly retry: RetryPolicy,
  ) {}

  private get connection(): Redis {
    return typeof this.redis === 'function' ? this.redis() : this.redis;
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: {
          ...retryOptions(this.retry),
          removeOnComplete: { age: 30 * 24 * 3600, count: 1_000 },
          removeOnFail: { age: 90 * 24 * 3600 },
        },
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  worker(name: string, processor: Processor, options: Partial<WorkerOptions> = {}): Worker {
    const worker = new Worker(name, processor, {
      connection: this.connection,
      prefix: this.prefix,
      settings: { backoffStrategy: (attemptsMade: number) => retryDelay(this.retry, attemptsMade) },
      ...options,
    });
    worker.on('error', () => undefined);
    this.workers.push(worker);
    return worker;
  }

  queueEvents(name: string): QueueEvents {
    // QueueEvents blocks on its connection, so it gets its own; closed with the factory.
    const connection = this.connection.duplicate();
    this.duplicates.push(connection);
    const events = new QueueEvents(name, { connection, prefix: this.prefix });
    this.events.push(events);
    return events;
  }

  /** For parent/child jobs (a list split into chunks, merged when all are done). */
  flowProducer(): FlowProducer {
    this.flows ??= new FlowProducer({ connection: this.connection, prefix: this.prefix });
    return this.flows;
  }

  allQueues(): Queue[] {
    return [...this.queues.values()];
  }

  /** Workers first (they finish their current job), then event listeners and queues. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all(this.events.map((events) => events.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.flows?.close();
    for (const connection of this.duplicates) connection.disconnect();
  }
}
