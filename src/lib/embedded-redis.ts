import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';
import { freePort } from './free-port';
import type { Logger } from './logger';
import type { EmbeddedServer } from './embedded-postgres';
import { ensureSystemPackages, REDIS_SERVER } from './system-packages';
import { embeddedPassword, mkdirPrivate, PRIVATE_FILE } from './private-files';

/**
 * Starts a private redis-server child on a free port with its append-only file under dataDir,
 * so queued jobs and schedules survive a restart. Uses redis-server from PATH, installed with
 * apt-get when missing and the process may (src/lib/system-packages.ts). It asks for a password
 * generated once and kept in DATA_DIR (`redis-password`), given in a 0600 configuration file
 * rather than on its command line, which every local user can read.
 */
export async function startEmbeddedRedis(dataDir: string, logger: Logger): Promise<EmbeddedServer> {
  const dir = path.join(dataDir, 'redis');
  mkdirPrivate(dir);
  const { password } = embeddedPassword(dataDir, 'redis');
  const url = (port: number) => `redis://:${password}@127.0.0.1:${port}`;
  const stateFile = path.join(dir, 'mailpref-redis.json');
  const running = runningServer(stateFile);
  if (running) {
    // Another mailpref process (npm start, or serve beside worker, or a CLI command) owns this data
    // directory's redis-server: share it, as with PostgreSQL, rather than start a second one on
    // the same append-only file.
    logger.info({ port: running.port }, 'embedded Redis already running; reusing it');
    return { url: url(running.port), stop: async () => undefined };
  }
  ensureSystemPackages([REDIS_SERVER]);
  const binary = REDIS_SERVER.program;
  const port = await freePort();
  const configFile = path.join(dir, 'redis.conf');
  fs.writeFileSync(configFile, `requirepass ${password}\n`, { mode: PRIVATE_FILE });
  fs.chmodSync(configFile, PRIVATE_FILE);
  // The umask a child starts with is its own: redis-server then creates its append-only folder
  // and files readable by this user only.
  const umask = process.umask(0o077);
  let child: ChildProcess;
  try {
    child = spawn(
      binary,
      [configFile, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } finally {
    process.umask(umask);
  }
  await waitForReady(child, binary);
  fs.writeFileSync(stateFile, JSON.stringify({ pid: child.pid, port }), { mode: PRIVATE_FILE });
  logger.info({ port }, 'embedded Redis started');
  return {
    url: url(port),
    stop: async () => {
      await stopChild(child);
      fs.rmSync(stateFile, { force: true });
    },
  };
}

/** The port of a redis-server a live mailpref process started on this directory, if any. */
function runningServer(stateFile: string): { port: number } | undefined {
  try {
    const { pid, port } = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { pid: number; port: number };
    process.kill(pid, 0);
    return { port };
  } catch {
    return undefined; // no file, or a stale one from a killed process
  }
}

function waitForReady(child: ChildProcess, binary: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new ConfigError('REDIS_URL', `cannot start ${binary}: ${error.message}`)));
    child.once('exit', (code) => reject(new ConfigError('REDIS_URL', `${binary} exited with code ${code}: ${output.trim().split('\n').pop()}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // SIGTERM makes redis flush its append-only file and exit.
    child.kill('SIGTERM');
  });
}
