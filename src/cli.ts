#!/usr/bin/env node
/**
 * The `mailpref` command (package.json "bin"). `mailpref address-key`, a filter that may key
 * millions of rows, goes straight to its own module: the whole command tree (src/cli-program.ts)
 * loads the web server, the queues and the database drivers first, ~0.3 s of CPU, as long as
 * keying 100,000 rows (bench:address-key). Every other command, and `address-key --help`, goes
 * through the tree.
 */
import type * as AddressKeyCommand from './address/address-key-command';
import type * as CliProgram from './cli-program';
import { exitIfStale } from './lib/compiled-build';

exitIfStale();
if (process.argv.length === 3 && process.argv[2] === 'address-key') {
  const { addressKeyAction } = require('./address/address-key-command') as typeof AddressKeyCommand;
  addressKeyAction().catch((error: unknown) => {
    process.stderr.write(`mailpref: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
} else {
  (require('./cli-program') as typeof CliProgram).runCli();
}
