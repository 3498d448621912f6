import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { allCommands, commandPath, EXAMPLES, program } from '../../src/cli';
import { projectPath } from '../../src/lib/project-path';
import { createTestDatabase } from '../support/test-root';

const run = promisify(execFile);
jest.setTimeout(120_000);

const CLI = [process.execPath, '--import', 'tsx', projectPath('src/cli.ts')];
const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

describe('the mailpref command line', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-cli-'));
    env = { ...process.env, DATABASE_URL: database.url, DATA_DIR: dir, LOG_LEVEL: 'warn' };
    delete env.PUBLIC_URL;
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => run(CLI[0]!, [...CLI.slice(1), ...args], { env: { ...env, ...extraEnv } });
  /** On a terminal: `script` gives the command a pseudo-terminal (util-linux; node has no pty of its own). */
  const onTerminal = (args: string[]) => run('script', ['-qec', [...CLI, ...args].map(quote).join(' '), '/dev/null'], { env: { ...env, TERM: 'xterm' } });

  it('prints its version with --version', async () => {
    const { version } = JSON.parse(fs.readFileSync(projectPath('package.json'), 'utf8')) as { version: string };
    const { stdout } = await cli(['--version']);
    expect(stdout).toBe(`${version}\n`);
  });

  it('shows an example at the end of every command\'s --help', async () => {
    const without = allCommands(program).filter((command) => !EXAMPLES[commandPath(command)]).map(commandPath);
    expect(without).toEqual([]);
    const { stdout } = await cli(['cards', 'import', '--help']);
    expect(stdout).toMatch(/\nExample:\n {2}\$ mailpref cards import sample-data\/returned-cards\.csv/);
  });

  it('draws progress bars for postcards issue and cards import on a terminal, and warns that PUBLIC_URL is the default', async () => {
    const print = path.join(dir, 'print.csv');
    const { stdout } = await onTerminal(['postcards', 'issue', projectPath('sample-data/postcard-addresses.csv'), '--out', print]);
    expect(stdout).toMatch(/issuing codes \[=+\] 100% \| 0\.0 of 0\.0 MB/);
    expect(stdout).toContain('warning: PUBLIC_URL is not set, so every card in the print file points households at http://localhost:3000/');
    expect(stdout).toMatch(/postcard batch \d+: \d+ rows in/);

    const imported = await onTerminal(['cards', 'import', projectPath('sample-data/returned-cards.csv'), '--rejects', path.join(dir, 'cards.rejects.csv')]);
    expect(imported.stdout).toMatch(/applying cards \[=+\] 100%/);
  });

  it('keeps pipes and logs free of bars, and does not warn when PUBLIC_URL is set', async () => {
    const { stdout, stderr } = await cli(['postcards', 'issue', projectPath('sample-data/postcard-addresses.csv'), '--out', path.join(dir, 'print2.csv')], { PUBLIC_URL: 'https://mail.example.org' });
    expect(stderr).toBe('');
    expect(stdout).not.toContain('issuing codes');
    expect(fs.readFileSync(path.join(dir, 'print2.csv'), 'utf8')).toContain('https://mail.example.org/');
  });
});
