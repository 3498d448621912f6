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

export interface ListsCliDeps {
  categories: CategoriesService;
  refusedKeys: RefusedKeysStore;
  freshnessDays: number;
  choices: ChoicesService;
  db: Db;
}

/** `mailpref cleanse FILE …`: the worker's pipeline on a local file, no server needed. */
export function registerListsCommands(program: Command, run: CliRunner<ListsCliDeps>): void {
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
}
