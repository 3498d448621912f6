import { spawn, type ChildProcess } from 'node:child_process';
import { projectPath } from '../../src/lib/project-path';
import type { Root } from '../../src/root';

/**
 * A separate `mailpref worker` process (one job at a time) on a test root's Postgres, Redis,
 * queues and files, for tests that kill one mid-job. It is started with the workers' node flags,
 * so it runs the workers itself instead of forking a process that does (the process killed is
 * the one holding the job).
 */
export function spawnWorkerProcess(root: Root, settings: { JOB_LOCK_MS: string; LIST_CHUNK_BYTES: string }): ChildProcess {
  return spawn(process.execPath, [...root.config.queue.nodeFlags, projectPath('dist/src/cli.js'), 'worker'], {
    env: {
      ...process.env,
      DATABASE_URL: root.config.databaseUrl,
      REDIS_URL: root.config.redisUrl,
      QUEUE_PREFIX: root.config.queue.prefix,
      DATA_DIR: root.config.dataDir,
      WORKER_CONCURRENCY: '1',
      LOG_LEVEL: 'silent',
      ...settings,
    },
    stdio: 'ignore',
  });
}
