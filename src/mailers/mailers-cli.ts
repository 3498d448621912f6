import type { Command } from 'commander';
import { cliAction, type CliRunner } from '../lib/cli-commands';
import type { MailersService } from './mailers-service';

/** `mailpref mailers …`: accounts and API keys, for operators. */
export function registerMailersCommands(program: Command, run: CliRunner<{ mailers: MailersService }>): void {
  const mailers = program.command('mailers').description('bulk mailer accounts and their API keys');

  mailers
    .command('create')
    .argument('<name>', 'the mailer\'s name (unique)')
    .description('create a mailer and print its first API key (shown once)')
    .action(cliAction(async (name: string) => {
      await run(async ({ mailers: service }) => {
        const { mailer, apiKey, prefix } = await service.createMailer(name);
        process.stdout.write(`Created mailer "${mailer.name}".\nAPI key (shown only now; store it safely): ${apiKey}\nKey prefix (to revoke it): ${prefix}\n`);
      });
    }));

  mailers
    .command('list')
    .description('list the mailers and how many active keys each has')
    .action(cliAction(async () => {
      await run(async ({ mailers: service }) => {
        for (const mailer of await service.listMailers()) {
          process.stdout.write(`${mailer.name}\t${mailer.activeKeys} active key(s)\n`);
        }
      });
    }));

  const keys = mailers.command('keys').description('API keys');
  keys
    .command('create')
    .argument('<mailer>', 'the mailer\'s name')
    .description('add an API key to a mailer (shown once)')
    .action(cliAction(async (name: string) => {
      await run(async ({ mailers: service }) => {
        const { apiKey, prefix } = await service.createKey(name);
        process.stdout.write(`API key (shown only now): ${apiKey}\nKey prefix: ${prefix}\n`);
      });
    }));
  keys
    .command('revoke')
    .argument('<prefix>', 'the key\'s prefix (or the whole key)')
    .description('revoke an API key at once')
    .action(cliAction(async (prefix: string) => {
      await run(async ({ mailers: service }) => {
        await service.revokeKey(prefix);
        process.stdout.write(`Revoked API key ${prefix}.\n`);
      });
    }));
}
