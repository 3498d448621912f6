import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { ChoicesService } from '../choices/choices-service';
import type { Db } from '../lib/db';
import { projectPath } from '../lib/project-path';
import { SampleChoicesStore } from './sample-choices-store';

export const SAMPLE_CHOICES = 'sample-data/sample-choices.csv';

/**
 * Records the refusals in sample-data/sample-choices.csv (as an operator would from returned
 * cards), so the sample mailing list shows real opt-outs at once. Runs once per database.
 */
export async function loadSampleChoices(
  { db, choices }: { db: Db; choices: Pick<ChoicesService, 'recordChoices'> },
  file = projectPath(SAMPLE_CHOICES),
): Promise<{ recorded: number; alreadyLoaded: boolean }> {
  if (await new SampleChoicesStore(db).hasEventsFrom(SAMPLE_CHOICES)) return { recorded: 0, alreadyLoaded: true };
  let recorded = 0;
  // Consecutive rows of one household become one submission (one transaction).
  let pending: { address: Record<string, string | undefined>; id: string; choices: Record<string, boolean> } | undefined;
  const flush = async () => {
    if (!pending) return;
    const result = await choices.recordChoices({ address: pending.address, choices: pending.choices, source: 'operator', actor: SAMPLE_CHOICES });
    recorded += result.changes.length;
    pending = undefined;
  };
  const parser = fs.createReadStream(file).pipe(parse({ columns: true, trim: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const address = { address1: row.address1, address2: row.address2, city: row.city, state: row.state, zip: row.zip };
    const id = JSON.stringify(address);
    if (pending?.id !== id) await flush();
    pending ??= { address, id, choices: {} };
    pending.choices[row.category!] = row.choice === 'accept';
  }
  await flush();
  return { recorded, alreadyLoaded: false };
}
