import { FlowProducer, Queue, QueueEvents, Worker, type Job, type Processor, type WorkerOptions } from 'bullmq';
import type { Redis } from './redis';

export type { Job, Processor };

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
          attempts: 3,
          backoff: { type: 'exponential', delay: 1_000 },
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
    const worker = new Worker(name, processor, { connection: this.connection, prefix: this.prefix, ...options });
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
