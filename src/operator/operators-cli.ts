import type { Command } from 'commander';
import { cliActor } from '../audit/audit-service';
import { withCliRoot } from './cli-root';

/** `mailpref operators create|reset-password|list`. */
export function registerOperatorsCommands(program: Command): void {
  const operators = program.command('operators').description('operator accounts of the console');

  operators
    .command('create <email>')
    .description('create an operator; prints a one-time password to change at first sign-in')
    .action((email: string) =>
      withCliRoot(async (root) => {
        const { operator, password } = await root.services.operators.create(email, cliActor());
        process.stdout.write(
          `Created operator ${operator.email}.\nOne-time password: ${password}\n` +
            `Sign in at ${root.config.http.publicUrl}/operator/sign-in; you will be asked to choose your own password.\n`,
        );
      }),
    );

  operators
    .command('reset-password <email>')
    .description('give an operator a new one-time password (their sessions end)')
    .action((email: string) =>
      withCliRoot(async (root) => {
        const password = await root.services.operators.resetPassword(email, cliActor());
        process.stdout.write(`New one-time password for ${email.toLowerCase()}: ${password}\n`);
      }),
    );

  operators
    .command('list')
    .description('list operator accounts')
    .action(() =>
      withCliRoot(async (root) => {
        for (const operator of await root.services.operators.list()) {
          const state = operator.disabled ? 'disabled' : operator.mustChangePassword ? 'one-time password not yet changed' : 'active';
          process.stdout.write(`${operator.email}\t${state}\tlast sign-in ${operator.lastSignInAt?.toISOString() ?? 'never'}\n`);
        }
      }),
    );
}
