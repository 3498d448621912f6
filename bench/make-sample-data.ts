/**
 * Writes sample-data/mailing-list.csv and sample-data/sample-choices.csv (run with
 * `npx tsx bench/make-sample-data.ts`; the files are committed, this documents how they were made).
 */
import fs from 'node:fs';
import path from 'node:path';
import { csvLine, household, householdFields, LIST_HEADER, rng, variant } from './list-generator';

const out = path.join(__dirname, '..', 'sample-data');
const random = rng(2026);
const lines = [csvLine(LIST_HEADER)];
for (let i = 1; i <= 3000; i++) {
  const n = 1 + Math.floor(random() * 2500);
  const h = variant(household(n), random);
  const fields = householdFields(h);
  if (i % 97 === 0) fields[1] = `${fields[1]}, Jr.`; // a quoted field with a comma
  if (i % 151 === 0) fields[2] = ''; // no street address: unreadable
  if (i % 173 === 0) fields[2] = fields[2]!.replace(/^\d+\s*/, ''); // no house number: unreadable
  if (i % 211 === 0) {
    fields[6] = '';
    fields[4] = ''; // no ZIP and no city: unreadable
  }
  if (i % 499 === 0) {
    lines.push(`${csvLine(fields)},extra field`); // too many fields: malformed
    continue;
  }
  if (i % 733 === 0) {
    lines.push(`${fields[0]},"${fields[1]},${fields.slice(2).join(',')}`); // unclosed quote: malformed
    continue;
  }
  lines.push(csvLine(fields));
}
fs.writeFileSync(path.join(out, 'mailing-list.csv'), lines.join('\r\n') + '\r\n');

const categories = ['catalogs', 'credit-insurance-offers', 'coupons-retail', 'magazines-subscriptions', 'charity-nonprofit', 'political', 'other'];
const choices = [csvLine(['address1', 'address2', 'city', 'state', 'zip', 'category', 'choice'])];
for (let n = 1; n <= 2500; n++) {
  const h = household(n);
  categories.forEach((category, index) => {
    if ((n * (index + 3)) % 9 === 0) {
      choices.push(csvLine([h.address1, h.address2, h.city, h.state, h.zip, category, 'refuse']));
    }
  });
}
fs.writeFileSync(path.join(out, 'sample-choices.csv'), choices.join('\n') + '\n');
process.stdout.write(`wrote ${lines.length - 1} list rows and ${choices.length - 1} choices to ${out}\n`);
