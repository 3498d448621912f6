/**
 * The whole command tree of `mailpref` (commander): every command, its options and its example.
 * src/cli.ts, the command's entry, loads it for every command but a bare `mailpref address-key`.
 */
import fs from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from './config';
import { startAllInOne } from './start/all-in-one';
import { exitOnStartupError } from './start/process';
import { serve } from './start/serve';
import { work } from './start/worker';
import { SCHEDULABLE_KINDS } from './job-kinds';
import { cliRunner, withCliDatabase } from './start/cli-root';
import { migrate } from './lib/migrate';
import { projectPath } from './lib/project-path';
import { setUpMachine } from './lib/system-packages';
import { registerChoicesCommands } from './choices/choices-cli';
import { registerAddressKeyCommand } from './address/address-key-command';
import { registerOperatorsCommands } from './operator/operators-cli';
import { registerScheduleCommands } from './schedules/schedule-cli';
import { registerListsCommands } from './lists/lists-cli';
import { registerMailersCommands } from './mailers/mailers-cli';

/** One example per command, shown at the end of its --help (a test checks that none is missing). */
export const EXAMPLES: Record<string, string> = {
  mailpref: 'mailpref cleanse sample-data/mailing-list.csv --category catalogs --out /tmp/cleansed',
  start: 'PORT=3100 mailpref start',
  serve: 'WEB_PROCESSES=2 DATABASE_URL=postgres://db/mailpref REDIS_URL=redis://queue:6379 mailpref serve',
  worker: 'WORKER_PROCESSES=2 DATABASE_URL=postgres://db/mailpref REDIS_URL=redis://queue:6379 mailpref worker',
  migrate: 'DATABASE_URL=postgres://db/mailpref mailpref migrate',
  setup: 'sudo mailpref setup --tests',
  postcards: 'mailpref postcards issue sample-data/postcard-addresses.csv --out print-file.csv',
  'postcards issue': 'mailpref postcards issue sample-data/postcard-addresses.csv --out print-file.csv     (or --requests for the lost-card requests)',
  cards: 'mailpref cards import sample-data/returned-cards.csv',
  'cards import': 'mailpref cards import sample-data/returned-cards.csv --rejects /tmp/cards.rejects.csv',
  store: 'mailpref store load sample-data/delivery-points.csv',
  'store load': 'mailpref store load sample-data/delivery-points.csv --rejects /tmp/delivery-points.rejects.csv',
  choices: 'mailpref choices show --address "45 Maple Ave Apt 3B, Boston, MA 02134"',
  'choices show': 'mailpref choices show --address "45 Maple Ave Apt 3B, Boston, MA 02134"',
  'address-key': 'mailpref address-key < addresses.csv > keyed.csv',
  operators: 'mailpref operators create ana@example.org',
  'operators create': 'mailpref operators create ana@example.org',
  'operators reset-password': 'mailpref operators reset-password ana@example.org',
  'operators list': 'mailpref operators list',
  'operators disable': 'mailpref operators disable ana@example.org',
  'operators enable': 'mailpref operators enable ana@example.org',
  schedule: 'mailpref schedule set nightly-purge --kind purge-expired --cron "0 2 * * *"',
  'schedule list': 'mailpref schedule list',
  'schedule set': 'mailpref schedule set nightly-purge --kind purge-expired --cron "0 2 * * *" --tz America/New_York',
  'schedule pause': 'mailpref schedule pause nightly-purge',
  'schedule resume': 'mailpref schedule resume nightly-purge',
  'schedule run': 'mailpref schedule run nightly-purge',
  'schedule remove': 'mailpref schedule remove nightly-purge',
  'schedule runs': 'mailpref schedule runs nightly-purge',
  mailers: 'mailpref mailers create "Acme Catalogs"',
  'mailers create': 'mailpref mailers create "Acme Catalogs"',
  'mailers list': 'mailpref mailers list',
  'mailers keys': 'mailpref mailers keys create "Acme Catalogs"',
  'mailers keys create': 'mailpref mailers keys create "Acme Catalogs"',
  'mailers keys revoke': 'mailpref mailers keys revoke mp_3f9a1c7b2e',
  cleanse: 'mailpref cleanse sample-data/mailing-list.csv --category catalogs --out /tmp/cleansed --mode flag',
  'load-sample-choices': 'mailpref load-sample-choices',
  lists: 'mailpref lists retry 9b0c62d4-5a1e-4f0b-8d3c-2b7e1f6a9c40',
  'lists retry': 'mailpref lists retry 9b0c62d4-5a1e-4f0b-8d3c-2b7e1f6a9c40',
};

/** A command's path below the program, e.g. "mailers keys create" ("mailpref" for the program). */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ') || command.name();
}

/** Every command of the tree, the program first. */
export function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap((child) => allCommands(child))];
}

const program = new Command('mailpref')
  .description('Mail preference opt-out and list cleansing service')
  .version((JSON.parse(fs.readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version, '-V, --version', 'print the version of mailpref');

program
  .command('start')
  .description('web server and workers in one process (what `npm start` runs)')
  .action(async () => {
    await startAllInOne();
  });

program
  .command('serve')
  .description('run the web server and API only (WEB_PROCESSES processes on one port)')
  .action(async () => {
    await serve(loadConfig());
  });

program
  .command('worker')
  .description('run the batch job workers only (WORKER_PROCESSES processes; start as many as you like, on any machine)')
  .action(async () => {
    await work(loadConfig());
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(() =>
    withCliDatabase(async (db) => {
      const result = await migrate(db);
      process.stdout.write(
        result.applied.length > 0
          ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
          : `up to date (${result.alreadyApplied} migrations applied earlier)\n`,
      );
    }),
  );

program
  .command('setup')
  .description('install what this machine needs beside Node.js: redis-server (unless REDIS_URL is set) and, with --tests, Chromium; with apt-get when run as root, otherwise it names the command to run')
  .option('--tests', 'also what `npm test` needs (Chromium for the browser tests)')
  .action((options: { tests?: boolean }) => setUpMachine(options));

// Commands that need only PostgreSQL and the files run on a root without Redis (RootOptions.redis).
const withoutRedis = { redis: false };
registerChoicesCommands(
  program,
  cliRunner((root) => ({ ...root.services, http: root.config.http }), withoutRedis),
);
registerAddressKeyCommand(program);
registerOperatorsCommands(
  program,
  cliRunner((root) => ({ operators: root.services.operators, publicUrl: root.config.http.publicUrl })),
);
registerScheduleCommands(
  program,
  cliRunner((root) => ({ schedules: root.services.schedules })),
  SCHEDULABLE_KINDS.map((kind) => kind.name),
);
registerMailersCommands(
  program,
  cliRunner((root) => ({ mailers: root.services.mailers }), withoutRedis),
);
registerListsCommands(
  program,
  cliRunner((root) => ({ ...root.services, db: root.db, freshnessDays: root.config.lists.freshnessDays }), withoutRedis),
  cliRunner((root) => ({ mailersConsole: root.services.mailersConsole })),
);

for (const command of allCommands(program)) {
  const example = EXAMPLES[commandPath(command)];
  if (example) command.addHelpText('after', `\nExample:\n  $ ${example}\n`);
}

export { program };

/** Runs the command line (`mailpref …`, from src/cli.ts). */
export function runCli(): void {
  program.parseAsync(process.argv).catch(exitOnStartupError);
}
