import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has a working default for every key', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.http.port).toBe(3000);
    expect(config.http.publicUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.join('/srv/app', '.data'));
    expect(config.filesDir).toBe(path.join('/srv/app', '.data', 'files'));
    expect(config.queue).toEqual({ prefix: 'mailpref', concurrency: 2, processes: 1, nodeFlags: ['--single-threaded-gc', '--initial-heap-size=128'], retry: { attempts: 12, firstDelayMs: 1000, maxDelayMs: 30000 } });
    expect(config.lists.watchdogMs).toBe(60_000);
    expect(config.loadSampleData).toBe(true);
    expect(config.http.webProcesses).toBe(1);
  });

  it('keeps files where FILES_DIR says (a mount every worker machine shares), else under DATA_DIR', () => {
    expect(loadConfig({ DATA_DIR: 'state' }, '/srv/app').filesDir).toBe(path.join('/srv/app', 'state', 'files'));
    expect(loadConfig({ DATA_DIR: 'state', FILES_DIR: '/mnt/mailpref-files' }, '/srv/app').filesDir).toBe('/mnt/mailpref-files');
  });

  it('reads the server URLs when they are set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/mp', REDIS_URL: 'redis://cache:6379' });
    expect(config.databaseUrl).toBe('postgres://u@db:5432/mp');
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: expected a whole number, got "abc"'],
    [{ PORT: '70000' }, 'PORT: expected a number from 0 to 65535, got 70000'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL: expected a postgres: or postgresql:// URL, got mysql://'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL: not a valid URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ LOAD_SAMPLE_DATA: 'maybe' }, 'LOAD_SAMPLE_DATA: expected true or false, got "maybe"'],
    [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY: expected a number from 1 to 64, got 0'],
    [{ WEB_PROCESSES: '0' }, 'WEB_PROCESSES: expected a number from 1 to 64, got 0'],
    [{ WORKER_PROCESSES: '65' }, 'WORKER_PROCESSES: expected a number from 1 to 64, got 65'],
    [{ WORKER_NODE_FLAGS: '--single-threaded-gc max-old-space-size=4096' }, 'WORKER_NODE_FLAGS: expected Node.js flags such as --single-threaded-gc, got "max-old-space-size=4096"'],
  ])('rejects %j with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the worker processes\' node flags, where set but empty means none', () => {
    expect(loadConfig({ WORKER_NODE_FLAGS: ' --single-threaded-gc  --max-old-space-size=4096 ' }).queue.nodeFlags).toEqual(['--single-threaded-gc', '--max-old-space-size=4096']);
    expect(loadConfig({ WORKER_NODE_FLAGS: '' }).queue.nodeFlags).toEqual([]);
  });

  it('never loads the public demo data by default in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(64) }).loadSampleData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(64), LOAD_SAMPLE_DATA: 'true' }).loadSampleData).toBe(true);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ' }).http.port).toBe(3000);
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });
});
