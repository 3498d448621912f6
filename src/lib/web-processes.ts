import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger';

export interface WebProcesses {
  /** Asks every web process to finish its requests and stop; resolves when all have exited. */
  stop(): Promise<void>;
}

/**
 * The primary side of `mailpref serve` with WEB_PROCESSES > 1 (node:cluster): forks that many
 * copies of this command, which share the one listening port. Each copy is a full web process
 * with its own pools; everything that must agree between them lives outside the process already
 * (sessions and rate-limit counters in Redis, CSRF tokens and code hashes keyed by the server
 * secret), so a household's requests may land on any of them. `env` carries what the primary
 * settled for all of them (the embedded servers' URLs), so no copy starts servers of its own.
 *
 * Resolves once every process listens; rejects if one exits before that (it has printed why).
 * A process that dies later is replaced, so one crash does not halve the web tier for good.
 */
export function startWebProcesses(count: number, env: Record<string, string>, logger: Logger): Promise<WebProcesses> {
  let stopping = false;
  const workers = new Set<Worker>();
  const listening = new WeakSet<Worker>();
  const stop = () => {
    stopping = true;
    const exits = [...workers].map((worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve()))));
    for (const worker of workers) worker.process.kill('SIGTERM');
    return Promise.all(exits).then(() => undefined);
  };

  return new Promise((resolve, reject) => {
    let started = false;
    const fork = (): void => {
      const worker = cluster.fork(env);
      workers.add(worker);
      worker.once('listening', () => {
        listening.add(worker);
        if (!started && [...workers].every((each) => listening.has(each)) && workers.size === count) {
          started = true;
          resolve({ stop });
        }
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        if (stopping) return;
        if (!listening.has(worker)) {
          if (started) logger.error({ pid: worker.process.pid, code, signal }, 'a replacement web process could not start');
          else void stop().then(() => reject(new Error(`a web process exited with code ${code} while starting`)));
          return;
        }
        logger.error({ pid: worker.process.pid, code, signal }, 'web process died; starting another');
        fork();
      });
    };
    for (let i = 0; i < count; i++) fork();
  });
}
