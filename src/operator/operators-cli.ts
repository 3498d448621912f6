import type { Command } from 'commander';
import { cliActor } from '../audit/audit-service';
import type { CliRunner } from '../lib/cli-commands';
import type { OperatorsService } from './operators-service';

/** `mailpref operators create|reset-password|list`. */
export function registerOperatorsCommands(program: Command, run: CliRunner<{ operators: OperatorsService; publicUrl: string }>): void {
  const operators = program.command('operators').description('operator accounts of the console');

  operators
    .command('create <email>')
    .description('create an operator; prints a one-time password to change at first sign-in')
    .action((email: string) =>
      run(async (deps) => {
        const { operator, password } = await deps.operators.create(email, cliActor());
        process.stdout.write(
          `Created operator ${operator.email}.\nOne-time password: ${password}\n` +
            `Sign in at ${deps.publicUrl}/operator/sign-in; you will be asked to choose your own password.\n`,
        );
      }),
    );

  operators
    .command('reset-password <email>')
    .description('give an operator a new one-time password (their sessions end)')
    .action((email: string) =>
      run(async (deps) => {
        const password = await deps.operators.resetPassword(email, cliActor());
        process.stdout.write(`New one-time password for ${email.toLowerCase()}: ${password}\n`);
      }),
    );

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    operators
      .command(`${verb} <email>`)
      .description(disabled ? 'stop an operator from signing in (their sessions end)' : 'let a disabled operator sign in again')
      .action((email: string) =>
        run(async (deps) => {
          const operator = await deps.operators.setDisabled(email, disabled, cliActor());
          process.stdout.write(`${operator.email} ${disabled ? 'disabled' : 'enabled'}\n`);
        }),
      );
  }

  operators
    .command('list')
    .description('list operator accounts')
    .action(() =>
      run(async (deps) => {
        for (const operator of await deps.operators.list()) {
          const state = operator.disabled ? 'disabled' : operator.mustChangePassword ? 'one-time password not yet changed' : 'active';
          process.stdout.write(`${operator.email}\t${state}\tlast sign-in ${operator.lastSignInAt?.toISOString() ?? 'never'}\n`);
        }
      }),
    );
}
