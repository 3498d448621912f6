import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { allCommands, commandPath, EXAMPLES, program } from '../../src/cli-program';
import { projectPath } from '../../src/lib/project-path';
import { createTestDatabase } from '../support/test-root';
import { deliveryPointKey } from '../../src/address/delivery-point-key';
import { PostcardRequestsStore } from '../../src/choices/postcard-requests-store';
import { Db } from '../../src/lib/db';

const run = promisify(execFile);
jest.setTimeout(120_000);

const CLI = [process.execPath, projectPath('dist/src/cli.js')];
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

  it('cards import writes its reject report next to the file, not into the current directory', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'cards-'));
    const elsewhere = fs.mkdtempSync(path.join(dir, 'cwd-'));
    const file = path.join(folder, 'scanner.csv');
    fs.writeFileSync(file, 'code,catalogs\nAAAAA-AAAAA,ticked\n');
    const { stdout } = await run(process.execPath, [projectPath('dist/src/cli.js'), 'cards', 'import', file], { env, cwd: elsewhere });
    expect(stdout).toContain(`reject report  ${path.join(folder, 'scanner.rejects.csv')}`);
    expect(fs.readFileSync(path.join(folder, 'scanner.rejects.csv'), 'utf8')).toContain('UNKNOWN_CODE');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('draws progress bars for postcards issue --requests and for address-key reading a file on a terminal', async () => {
    const db = new Db(database.url, { max: 1 });
    try {
      for (const number of [12, 14, 16]) {
        const key = deliveryPointKey({ address1: `${number} Elm St`, zip: '02134' });
        if (!key.ok) throw new Error(key.message);
        await new PostcardRequestsStore(db).add(key.key, key.components);
      }
    } finally {
      await db.close();
    }
    const requests = await onTerminal(['postcards', 'issue', '--requests', '--out', path.join(dir, 'requests.csv')]);
    expect(requests.stdout).toMatch(/issuing codes \[=+\] 100% \| 3 of 3 requests/);
    expect(requests.stdout).toMatch(/postcard batch \d+: 3 rows in = 3 codes issued/);

    // stdout goes to a file, the bar to the terminal (stderr); a pipe into stdin has no size, so no bar.
    const keyed = path.join(dir, 'keyed.csv');
    const command = `${[...CLI, 'address-key'].map(quote).join(' ')} < ${quote(projectPath('sample-data/postcard-addresses.csv'))} > ${quote(keyed)}`;
    const addressKey = await run('script', ['-qec', command, '/dev/null'], { env: { ...env, TERM: 'xterm' } });
    expect(addressKey.stdout).toMatch(/keying addresses \[=+\] 100% \| \d+\.\d of \d+\.\d MB/);
    expect(fs.readFileSync(keyed, 'utf8').split('\n')[0]).toContain('delivery_point_key,address_status');
    const piped = await run('script', ['-qec', `cat ${quote(projectPath('sample-data/postcard-addresses.csv'))} | ${[...CLI, 'address-key'].map(quote).join(' ')} > ${quote(keyed)}`, '/dev/null'], { env: { ...env, TERM: 'xterm' } });
    expect(piped.stdout).not.toContain('keying addresses');
    expect(piped.stdout).toMatch(/address-key: \d+ rows/);
  });

  it('keeps pipes and logs free of bars, and does not warn when PUBLIC_URL is set', async () => {
    const { stdout, stderr } = await cli(['postcards', 'issue', projectPath('sample-data/postcard-addresses.csv'), '--out', path.join(dir, 'print2.csv')], { PUBLIC_URL: 'https://mail.example.org' });
    expect(stderr).toBe('');
    expect(stdout).not.toContain('issuing codes');
    expect(fs.readFileSync(path.join(dir, 'print2.csv'), 'utf8')).toContain('https://mail.example.org/');
  });
});
