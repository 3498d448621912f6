import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import IORedis from 'ioredis';
import { startEmbeddedRedis } from '../../src/lib/embedded-redis';
import type { EmbeddedServer } from '../../src/lib/embedded-postgres';
import { localFileStorage } from '../../src/lib/file-storage';
import { createLogger } from '../../src/lib/logger';
import { projectPath } from '../../src/lib/project-path';

const run = promisify(execFile);
jest.setTimeout(120_000);

const isRoot = os.userInfo().uid === 0;

/** Every file and folder under dir (dir itself excluded) with its permission bits, as "path mode". */
function modesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      found.push(`${path.relative(dir, full)} ${(fs.statSync(full).mode & 0o777).toString(8)}`);
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return found;
}

/** Every entry's mode is the private one of its kind: 600 for files, 700 for folders. */
function expectPrivate(dir: string, skip: (relative: string) => boolean = () => false): void {
  const wrong = modesUnder(dir).filter((line) => {
    const [relative, mode] = line.split(' ') as [string, string];
    if (skip(relative)) return false;
    return mode !== (fs.statSync(path.join(dir, relative)).isDirectory() ? '700' : '600');
  });
  expect(wrong).toEqual([]);
}

/**
 * Embedded defaults: uploads, outputs and data readable by mailpref's user only (files 0600,
 * folders 0700), a generated password for the private Redis and the embedded PostgreSQL, kept
 * beside the server secret.
 */
describe('embedded defaults', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-private-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores uploads, parts and outputs 0600 in folders 0700, whatever the umask', async () => {
    const root = path.join(dir, 'files');
    const files = localFileStorage(root);
    await files.put('lists/a/upload', Readable.from([Buffer.from('address1\n1 Main St\n')]));
    await files.putRanges('lists/a/pieces/00000-cleansed', 'lists/a/upload', Readable.from([Buffer.from(new Float64Array([0, 9]).buffer)]));
    await files.compose('lists/a/cleansed', ['lists/a/pieces/00000-cleansed']);
    await files.put('uploads/moves/2026-12-05-x/input.csv', Readable.from([Buffer.from('old_address1\n')]));
    expect(modesUnder(root).length).toBeGreaterThanOrEqual(8);
    expectPrivate(root);
  });

  it('starts the private Redis with a generated password, off its command line, and its files private', async () => {
    const data = path.join(dir, 'redis-data');
    let redis: EmbeddedServer | undefined;
    try {
      redis = await startEmbeddedRedis(data, createLogger('silent'));
      const password = fs.readFileSync(path.join(data, 'redis-password'), 'utf8');
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(redis.url).toBe(`redis://:${password}@${new URL(redis.url).host}`);
      const { pid } = JSON.parse(fs.readFileSync(path.join(data, 'redis', 'mailpref-redis.json'), 'utf8')) as { pid: number };
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(password);

      // Without the password: refused.
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(new URL(redis!.url).port), '127.0.0.1', () => socket.write('PING\r\n'));
        socket.once('data', (data) => {
          resolve(data.toString());
          socket.destroy();
        });
        socket.once('error', reject);
      });
      expect(answer).toMatch(/^-NOAUTH/);
      const allowed = new IORedis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      await allowed.connect();
      await allowed.set('written', '1');
      expect(await allowed.ping()).toBe('PONG');
      allowed.disconnect();
      expectPrivate(data);
    } finally {
      await redis?.stop();
    }
  });

  it('gives the embedded PostgreSQL a generated password, and writes what a command makes privately', async () => {
    const data = path.join(dir, 'cli-data');
    const out = path.join(dir, 'cli-out', 'cleansed');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: data, LOG_LEVEL: 'warn' };
    const cli = (...args: string[]) => run(process.execPath, [projectPath('dist/src/cli.js'), ...args], { env, cwd: projectPath() });
    await cli('cleanse', projectPath('sample-data/mailing-list.csv'), '--category', 'catalogs', '--out', out);
    const password = fs.readFileSync(path.join(data, 'postgres-password'), 'utf8');
    // A password of its own (the command connected with it), not the fixed one every install shared.
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(fs.readdirSync(out).sort()).toEqual(['mailing-list.cleansed.csv', 'mailing-list.discards.csv', 'mailing-list.summary.json']);
    expectPrivate(path.join(dir, 'cli-out'));
    // As root, PostgreSQL runs as `postgres`, which must pass through DATA_DIR: o+x, never o+r.
    expect((fs.statSync(data).mode & 0o777).toString(8)).toBe(isRoot ? '701' : '700');
    // The data directory's own files are PostgreSQL's (0700/0600 by initdb), owned by its user.
    expectPrivate(data, (relative) => relative.startsWith('postgres/'));
    expect((fs.statSync(path.join(data, 'postgres')).mode & 0o777).toString(8)).toBe('700');
  });
});
