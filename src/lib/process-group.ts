import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger';

export interface ProcessGroup {
  /** Asks every process to finish what it is doing and stop; resolves when all have exited. */
  stop(): Promise<void>;
}

export type ProcessKind = 'web' | 'worker';

const READY = 'mailpref:ready';

/** A forked process says it has started (a web process listens, a worker process has its workers). */
export function signalReady(): void {
  if (cluster.isWorker) process.send?.(READY);
}

/**
 * The primary side of `mailpref serve` with WEB_PROCESSES > 1 and of `mailpref worker` with
 * WORKER_PROCESSES > 1 or WORKER_NODE_FLAGS (node:cluster): forks that many copies of this
 * command, started with `nodeFlags` besides this process's own. Web copies share the one
 * listening port; each is a full web process with its own pools, and everything that must agree
 * between them lives outside the process already (sessions and rate-limit counters in Redis, CSRF
 * tokens and code hashes keyed by the server secret), so a household's requests may land on any
 * of them. Worker copies each take jobs from the queues, as separate `mailpref worker` commands
 * would. `env` carries what the primary settled for all of them (the embedded servers' URLs), so
 * no copy starts servers of its own.
 *
 * Resolves once every process has signalled it is ready; rejects if one exits before that (it has
 * printed why). A process that dies later is replaced, so one crash does not shrink the group for
 * good. A copy whose primary dies exits too (node:cluster does that on the lost IPC channel).
 */
export function startProcessGroup(kind: ProcessKind, count: number, options: { env: Record<string, string>; nodeFlags?: string[] }, logger: Logger): Promise<ProcessGroup> {
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...(options.nodeFlags ?? [])] });
  let stopping = false;
  const processes = new Set<Worker>();
  const ready = new WeakSet<Worker>();
  const stop = () => {
    stopping = true;
    const exits = [...processes].map((each) => new Promise<void>((resolve) => (each.isDead() ? resolve() : each.once('exit', () => resolve()))));
    for (const each of processes) each.process.kill('SIGTERM');
    return Promise.all(exits).then(() => undefined);
  };

  return new Promise((resolve, reject) => {
    let started = false;
    const fork = (): void => {
      const forked = cluster.fork(options.env);
      processes.add(forked);
      forked.on('message', (message: unknown) => {
        if (message !== READY || ready.has(forked)) return;
        ready.add(forked);
        if (!started && processes.size === count && [...processes].every((each) => ready.has(each))) {
          started = true;
          resolve({ stop });
        }
      });
      forked.once('exit', (code, signal) => {
        processes.delete(forked);
        if (stopping) return;
        if (!ready.has(forked)) {
          if (started) logger.error({ pid: forked.process.pid, code, signal }, `a replacement ${kind} process could not start`);
          else void stop().then(() => reject(new Error(`a ${kind} process exited with code ${code} while starting`)));
          return;
        }
        logger.error({ pid: forked.process.pid, code, signal }, `${kind} process died; starting another`);
        fork();
      });
    };
    for (let i = 0; i < count; i++) fork();
  });
}
