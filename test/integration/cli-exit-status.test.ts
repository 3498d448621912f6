import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectPath } from '../../src/lib/project-path';

jest.setTimeout(180_000);

/**
 * Every command exits 1 after an error, also on the embedded PostgreSQL (no DATABASE_URL), whose
 * package's exit hook used to end the process with status 0; a refused list leaves no output.
 */
describe('exit statuses on the embedded database', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-exit-'));
    fs.writeFileSync(path.join(dir, 'no-address.csv'), 'name,email\nAna,ana@example.org\n');
    fs.writeFileSync(path.join(dir, 'empty.csv'), '');
    fs.writeFileSync(path.join(dir, 'binary.csv'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    fs.writeFileSync(path.join(dir, 'header-only.csv'), 'name,address1,city,state,zip\n');
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the command on the embedded PostgreSQL under the test's folder: its status, stdout and stderr. */
  function mailpref(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' };
    return new Promise((resolve) => {
      // Files are named relative to the test's folder.
      const named = args.map((arg) => (/\.(csv)$/.test(arg) || arg === 'out' ? path.join(dir, arg) : arg));
      execFile(process.execPath, [projectPath('dist/src/cli.js'), ...named], { env, cwd: projectPath() }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('exits 0 when a command succeeds', async () => {
    const created = await mailpref('mailers', 'create', 'Exit Status Mailer');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain('Created mailer "Exit Status Mailer"');
  });

  it.each([
    [['cleanse', 'missing.csv', '--category', 'catalogs'], /^mailpref: Cannot read \/.*\/missing\.csv: ENOENT\n$/],
    [['cleanse', 'no-address.csv', '--category', 'no-such-category'], /^mailpref: .*no-such-category.*\n$/],
    [['cleanse', 'no-address.csv', '--category', 'catalogs'], /^mailpref: No street address column found\./],
    [['cleanse', 'empty.csv', '--category', 'catalogs'], /^mailpref: .*empty/i],
    [['cleanse', 'binary.csv', '--category', 'catalogs'], /^mailpref: /],
    [['cleanse', 'header-only.csv', '--category', 'catalogs', '--out', 'out'], /^mailpref: The list has a header row but no data rows\n$/],
    [['mailers', 'keys', 'revoke', 'mp_0000000000'], /^mailpref: .*mp_0000000000/],
    [['mailers', 'create', 'Exit Status Mailer'], /^mailpref: .*already exists/],
    [['choices', 'show', '--address', 'Main Street'], /^mailpref: /],
  ])('exits 1 with one line after an error: mailpref %j', async (args, message) => {
    const result = await mailpref(...args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('leaves no output files after a refused list', async () => {
    expect((await mailpref('cleanse', 'header-only.csv', '--category', 'catalogs', '--out', 'out')).code).toBe(1);
    const left = fs.existsSync(path.join(dir, 'out')) ? fs.readdirSync(path.join(dir, 'out')) : [];
    expect(left).toEqual([]);
  });
});
