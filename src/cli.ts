#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from './config';
import { exitOnStartupError, serve, startAllInOne, work } from './main';
import { runWithDatabase } from './lib/cli-database';
import { migrate } from './lib/migrate';
import { registerChoicesCommands } from './choices/choices-cli';
import { registerAddressKeyCommand } from './address/address-key-command';
import { registerOperatorsCommands } from './operator/operators-cli';
import { registerScheduleCommands } from './operator/schedule-cli';
import { registerListsCommands } from './lists/lists-cli';
import { registerMailersCommands } from './mailers/mailers-cli';

const program = new Command('mailpref').description('Mail preference opt-out and list cleansing service');

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
    runWithDatabase(
      async (db) => {
        const result = await migrate(db);
        process.stdout.write(
          result.applied.length > 0
            ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
            : `up to date (${result.alreadyApplied} migrations applied earlier)\n`,
        );
      },
      loadConfig(),
      { migrate: false },
    ),
  );

registerChoicesCommands(program);
registerAddressKeyCommand(program);
registerOperatorsCommands(program);
registerScheduleCommands(program);
registerMailersCommands(program);
registerListsCommands(program);

program.parseAsync(process.argv).catch(exitOnStartupError);
