import fs from 'node:fs';
import { parse } from 'csv-parse';
import { SeedChoicesStore } from '../choices/seed-choices-store';
import type { Queryable } from '../lib/db';
import { projectPath } from '../lib/project-path';

/**
 * Loads sample-data/sample-choices.csv (households that refused some categories), so the sample
 * mailing list shows real opt-outs at once. Does nothing when any choice is already recorded.
 */
export async function loadSampleChoices(db: Queryable, file = projectPath('sample-data', 'sample-choices.csv')): Promise<{ recorded: number; skipped: number }> {
  const store = new SeedChoicesStore(db);
  if (await store.hasAnyChoice()) return { recorded: 0, skipped: 1 };
  let recorded = 0;
  const parser = fs.createReadStream(file).pipe(parse({ columns: true, trim: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const ok = await store.record({
      address: { address1: row.address1, address2: row.address2, city: row.city, state: row.state, zip: row.zip },
      categorySlug: row.category!,
      accepted: row.choice === 'accept',
      at: row.date ? new Date(row.date) : undefined,
      actor: 'sample-data/sample-choices.csv',
    });
    if (ok) recorded++;
  }
  return { recorded, skipped: 0 };
}
