import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/lib/free-port';
import { REDIS_SERVER } from '../../src/lib/system-packages';

/**
 * A redis-server of a test's own, which the test can stop and start again on the same port — a
 * Redis restart, which the shared server of the other tests must never see. It keeps its data as
 * the embedded one does (an append-only file, src/lib/embedded-redis.ts), so that a restart
 * after a clean stop (SIGTERM: Redis writes its file out) comes back with every queue and job; or
 * it can come back empty, as a Redis without persistence or one whose data is lost does.
 */
export class PrivateRedis {
  private server?: ChildProcess;

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PrivateRedis> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-private-redis-'));
    const server = new PrivateRedis(dir, await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = spawn(
      REDIS_SERVER.program,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server.once('error', reject);
      server.once('exit', (code) => reject(new Error(`redis-server exited with ${code} while starting: ${output}`)));
    });
    server.stdout!.removeAllListeners('data');
    server.stdout!.resume();
    server.stderr!.removeAllListeners('data');
    server.stderr!.resume();
    this.server = server;
  }

  /**
   * Stops the server. `keepData`: a clean shutdown (SIGTERM), after which it starts again with its
   * data; otherwise it is killed (SIGKILL) and its data removed, so that it starts again empty.
   */
  async stop(options: { keepData: boolean } = { keepData: true }): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill(options.keepData ? 'SIGTERM' : 'SIGKILL');
    });
    if (!options.keepData) for (const entry of fs.readdirSync(this.dir)) fs.rmSync(path.join(this.dir, entry), { recursive: true, force: true });
  }

  async destroy(): Promise<void> {
    await this.stop({ keepData: false });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
