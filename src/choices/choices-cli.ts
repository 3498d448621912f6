import fs from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../config';
import { AppError } from '../lib/errors';
import { cliAction, type CliRunner } from '../lib/cli-commands';
import { countProgressBar, readWithProgress } from '../lib/progress-bar';
import type { CardImportService } from './card-import-service';
import type { ChoicesService } from './choices-service';
import type { PostcardService } from './postcard-service';
import { PRIVATE_FILE } from '../lib/private-files';
import { formatHistory } from './history-text';
import { lookUpAddress } from './address-lookup';
import type { StoreLoadService } from './store-load-service';

/** What the choices commands use (a root without Redis: see src/cli-program.ts). */
export interface ChoicesCliDeps {
  postcards: PostcardService;
  cardImport: CardImportService;
  storeLoad: StoreLoadService;
  choices: ChoicesService;
  http: Config['http'];
}

function rejectsPathFor(out: string): string {
  return out.replace(/(\.csv)?$/i, '.rejects.csv');
}

function reasons(byReason: Record<string, number>): string {
  const entries = Object.entries(byReason);
  return entries.length === 0 ? '' : ` (${entries.map(([reason, n]) => `${reason}: ${n}`).join(', ')})`;
}

/** `mailpref postcards …`, `mailpref cards …`, `mailpref choices …` (operator commands). */
export function registerChoicesCommands(program: Command, run: CliRunner<ChoicesCliDeps>): void {
  const postcards = program.command('postcards').description('postcard codes for households');
  postcards
    .command('issue [file]')
    .description('issue a code per address of a CSV file (or for the queued lost-card requests) and write the print file')
    .requiredOption('--out <print-file.csv>', 'where to write the print file')
    .option('--rejects <rejects.csv>', 'where to write the rows that got no code (default: <out>.rejects.csv)')
    .option('--requests', 'issue for the queued "I did not get a card" requests instead of a file')
    .action(
      cliAction(async (file: string | undefined, options: { out: string; rejects?: string; requests?: boolean }) => {
        if (!file && !options.requests) throw new AppError(400, 'USAGE', 'give an address file, or --requests for the queued lost-card requests');
        if (file && !fs.existsSync(file)) throw new AppError(400, 'NO_FILE', `no such file: ${file}`);
        const rejectsPath = options.rejects ?? rejectsPathFor(options.out);
        await run(async (services) => {
          if (services.http.publicUrlIsDefault) {
            process.stderr.write(
              `mailpref: warning: PUBLIC_URL is not set, so every card in the print file points households at ${services.http.publicUrl}/; set PUBLIC_URL to the address they will type\n`,
            );
          }
          const outputs = { print: fs.createWriteStream(options.out, { mode: PRIVATE_FILE }), rejects: fs.createWriteStream(rejectsPath, { mode: PRIVATE_FILE }) };
          const bar = countProgressBar('issuing codes', 'requests');
          const summary = file
            ? await services.postcards.issueFromCsv(readWithProgress(file, 'issuing codes'), outputs, { source: file })
            : await services.postcards.issueForRequests(outputs, (done, total) => bar.update(done, total)).finally(() => bar.stop());
          // The print file is written and closed: the requests it holds leave the queue.
          if (!file) await services.postcards.requestsPrinted(summary.batchId);
          process.stdout.write(
            `postcard batch ${summary.batchId}: ${summary.rowsIn} rows in = ${summary.printed} codes issued + ${summary.rejected} rejected${reasons(summary.rejectedByReason)}\n` +
              `  print file  ${options.out}\n  rejects     ${rejectsPath}\n`,
          );
        });
      }),
    );

  const cards = program.command('cards').description('returned postcards');
  cards
    .command('import <file>')
    .description('apply a card scanner file (code, one column per category: ticked / unticked / blank)')
    .option('--rejects <rejects.csv>', 'where to write the reject report (default: <file>.rejects.csv, next to the file)')
    .action(
      cliAction(async (file: string, options: { rejects?: string }) => {
        if (!fs.existsSync(file)) throw new AppError(400, 'NO_FILE', `no such file: ${file}`);
        // next to the input, as postcards issue writes its rejects next to its print file
        const rejectsPath = options.rejects ?? rejectsPathFor(file);
        await run(async (services) => {
          // The first read only hashes the file (was it imported before?); the bar follows the second.
          let reads = 0;
          const open = () => (reads++ === 0 ? fs.createReadStream(file) : readWithProgress(file, 'applying cards'));
          const summary = await services.cardImport.importFile(open, file, fs.createWriteStream(rejectsPath, { mode: PRIVATE_FILE }));
          process.stdout.write(
            (summary.alreadyImported ? `this file (sha256 ${summary.sha256.slice(0, 12)}…) was imported before; nothing applied again\n` : '') +
              `card import ${summary.importId}: ${summary.rowsIn} rows = ${summary.applied} applied + ${summary.rejected} rejected${reasons(summary.rejectedByReason)}\n` +
              `  reject report  ${rejectsPath}\n`,
          );
        });
      }),
    );

  const store = program.command('store').description('the store of delivery points and their choices');
  store
    .command('load <file>')
    .description('load an operator\'s delivery-point file (address columns, and per category slug: accept / refuse / blank) with COPY; loading it again changes nothing')
    .option('--rejects <rejects.csv>', 'where to write the reject report (default: <file>.rejects.csv, next to the file)')
    .action(
      cliAction(async (file: string, options: { rejects?: string }) => {
        if (!fs.existsSync(file)) throw new AppError(400, 'NO_FILE', `no such file: ${file}`);
        const rejectsPath = options.rejects ?? rejectsPathFor(file);
        await run(async (services) => {
          const summary = await services.storeLoad.load(readWithProgress(file, 'loading'), file, fs.createWriteStream(rejectsPath));
          const seconds = summary.seconds.read + summary.seconds.write;
          process.stdout.write(
            `store load ${summary.loadId}: ${summary.rowsIn} rows in = ${summary.loaded} loaded + ${summary.rejected} rejected${reasons(summary.rejectedByReason)}\n` +
              `  ${summary.pointsCreated} new delivery points, ${summary.eventsWritten} choices recorded (source load)\n` +
              `  ${seconds.toFixed(1)} s (read and COPY ${summary.seconds.read.toFixed(1)} s, write ${summary.seconds.write.toFixed(1)} s), ${Math.round(summary.rowsIn / seconds)} rows/s\n` +
              `  reject report  ${rejectsPath}\n`,
          );
        });
      }),
    );

  const choices = program.command('choices').description("households' choices");
  choices
    .command('show')
    .description('print the current choices and the full event history of an address')
    .requiredOption('--address <address>', 'e.g. "123 Main St Apt 4, Boston, MA 02134"')
    .action(
      cliAction(async (options: { address: string }) => {
        await run(async (services) => {
          const found = await lookUpAddress(services.choices, options.address);
          if (!found.ok) throw new AppError(400, 'ADDRESS_UNREADABLE', `the address cannot be read: ${found.message}`);
          if (!found.view) {
            process.stdout.write(`${found.key}\n  no choices recorded for this address: it accepts every category (the default)\n`);
            return;
          }
          const { view, history } = found;
          process.stdout.write(formatHistory(view, history));
        });
      }),
    );
}
