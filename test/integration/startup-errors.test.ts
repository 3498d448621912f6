import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(root, 'dist/src/cli.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('startup errors are one line naming the setting', () => {
  it('a bad PORT', () => {
    const result = runCli(['serve'], { PORT: 'abc' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('mailpref: PORT: expected a whole number, got "abc"');
  });

  it('an unreachable DATABASE_URL', () => {
    const result = runCli(['migrate'], { DATABASE_URL: 'postgres://mailpref@127.0.0.1:1/mailpref' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('mailpref: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1/mailpref (ECONNREFUSED)');
  });

  it('an unreachable REDIS_URL', () => {
    const result = runCli(['worker'], {
      DATABASE_URL: new URL(`/${process.env.MAILPREF_TEST_TEMPLATE}`, process.env.TEST_DATABASE_URL).toString(),
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('mailpref: REDIS_URL: cannot connect to Redis at 127.0.0.1:1 (ECONNREFUSED)');
  });
});
