import { Option, type Command } from 'commander';
import type { CategoriesService } from '../categories/categories-service';
import type { ChoicesService } from '../choices/choices-service';
import { cliAction, type CliRunner } from '../lib/cli-commands';
import type { Db } from '../lib/db';
import { terminalProgressBar } from '../lib/progress-bar';
import { parseColumnMapping } from './cleanse';
import { formatSummary } from './cleanse';
import { cleanseLocalFile } from './jobs/local-cleanse';
import type { RefusedKeysStore } from './jobs/refused-keys-store';
import { loadSampleChoices } from './sample-choices';
import { cliActor } from '../audit/audit-service';
import type { MailersConsoleService } from '../mailers/mailers-console-service';

export interface ListsCliDeps {
  categories: CategoriesService;
  refusedKeys: RefusedKeysStore;
  freshnessDays: number;
  choices: ChoicesService;
  db: Db;
}

/** `mailpref lists retry` queues a job: it needs Redis, the other list commands do not. */
export interface ListsRetryDeps {
  mailersConsole: Pick<MailersConsoleService, 'retryList'>;
}

/** `mailpref cleanse FILE …`: the worker's pipeline on a local file, no server needed; `mailpref lists retry ID`. */
export function registerListsCommands(program: Command, run: CliRunner<ListsCliDeps>, runWithQueues: CliRunner<ListsRetryDeps>): void {
  program
    .command('cleanse')
    .argument('<file>', 'the mailing list (CSV or TSV with a header row)')
    .requiredOption('--category <slug>', 'the category of the mailing, e.g. catalogs')
    .option('--out <dir>', 'where to write the cleansed file, discard report and summary', '.')
    .addOption(new Option('--mode <mode>', 'suppress: kept rows only; flag: every row with a status').choices(['suppress', 'flag']).default('suppress'))
    .option('--dedupe', 'discard later rows at the same delivery point', false)
    .option('--keep-unreadable', 'keep rows whose address cannot be read (flagged) instead of discarding them', false)
    .option('--map <json>', 'column mapping, e.g. \'{"address1":"Street","zip":"Postcode"}\'')
    .description('cleanse a mailing list against households\' choices and print the summary')
    .action(
      cliAction(async (file: string, options: { category: string; out: string; mode: 'suppress' | 'flag'; dedupe: boolean; keepUnreadable: boolean; map?: string }) => {
        await run(async (deps) => {
          const bar = terminalProgressBar('cleansing [{bar}] {percentage}% | {rows} rows | {eta}s left');
          const result = await cleanseLocalFile(
            deps,
            file,
            { categorySlug: options.category, outDir: options.out, mode: options.mode, dedupe: options.dedupe, keepUnreadable: options.keepUnreadable, mapping: parseColumnMapping(options.map) },
            (done, total, rows) => bar.update(done, total, { rows }),
          );
          bar.stop();
          process.stdout.write(formatSummary(result.summary, result.files));
        });
      }),
    );

  program
    .command('load-sample-choices')
    .description('record the households\' choices in sample-data/sample-choices.csv (for trying the sample list)')
    .action(
      cliAction(async () => {
        await run(async (deps) => {
          const result = await loadSampleChoices(deps);
          process.stdout.write(result.alreadyLoaded ? 'The sample choices were already recorded.\n' : `Recorded ${result.recorded} sample choice(s).\n`);
        });
      }),
    );

  const lists = program.command('lists').description('mailers\' list jobs');
  lists
    .command('retry')
    .argument('<id>', 'the list\'s id (in the API, the portal and the console)')
    .description('run a failed list again from its upload, with the snapshot of choices it was first given')
    .action(
      cliAction(async (id: string) => {
        await runWithQueues(async (deps) => {
          const { listName } = await deps.mailersConsole.retryList(id, cliActor());
          process.stdout.write(`List ${id} (${listName}) is queued again; a worker will run it.\n`);
        });
      }),
    );
}
