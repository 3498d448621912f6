import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectPath } from '../../src/lib/project-path';
import { loadSampleChoices } from '../../src/lists/sample-choices';
import { createTestRoot, type TestRoot } from '../support/test-root';

const run = promisify(execFile);
jest.setTimeout(120_000);

describe('mailpref cleanse (the CLI, no server)', () => {
  let root: TestRoot;
  let out: string;

  beforeAll(async () => {
    root = await createTestRoot();
    await loadSampleChoices({ db: root.db, choices: root.services.choices });
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-cli-'));
  }, 120_000);
  afterAll(async () => {
    fs.rmSync(out, { recursive: true, force: true });
    await root?.cleanup();
  });

  const cli = (...args: string[]) =>
    run(process.execPath, [projectPath('dist/src/cli.js'), ...args], { env: { ...process.env, DATABASE_URL: root.config.databaseUrl, LOG_LEVEL: 'warn' } });

  it('cleanses the sample list against the sample choices and prints the summary', async () => {
    const { stdout } = await cli('cleanse', projectPath('sample-data', 'mailing-list.csv'), '--category', 'catalogs', '--out', out);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'mailing-list.summary.json'), 'utf8'));
    expect(summary.rows.in).toBe(3000);
    expect(summary.rows.discardedByReason.OPTED_OUT).toBeGreaterThan(500);
    expect(stdout).toContain(`Check           3000 rows in = ${summary.rows.kept} kept + ${summary.rows.discarded} discarded`);
    expect(stdout).toContain(`Cleansed file   ${path.join(out, 'mailing-list.cleansed.csv')}`);
    const cleansed = fs.readFileSync(path.join(out, 'mailing-list.cleansed.csv'), 'utf8');
    expect(cleansed.split('\r\n').length - 2).toBe(summary.rows.kept);
    // a second run with the API's flag mode writes every row
    await cli('cleanse', projectPath('sample-data', 'mailing-list.csv'), '--category', 'catalogs', '--out', out, '--mode', 'flag');
    expect(fs.readFileSync(path.join(out, 'mailing-list.cleansed.csv'), 'utf8').split('\r\n')[0]).toMatch(/,mailpref_status,mailpref_reason$/);
  });

  it('answers a mistake with one line and exit code 1', async () => {
    await expect(cli('cleanse', projectPath('sample-data', 'mailing-list.csv'), '--category', 'nope', '--out', out)).rejects.toMatchObject({ code: 1, stderr: 'mailpref: Unknown category "nope"\n' });
    const empty = path.join(out, 'empty.csv');
    fs.writeFileSync(empty, '');
    await expect(cli('cleanse', empty, '--category', 'catalogs', '--out', out)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^mailpref: The file is empty \(0 bytes\)/) });
  });
});
