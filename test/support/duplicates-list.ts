import { csvLine, household, householdFields, LIST_HEADER, rng, variant } from '../../bench/list-generator';

/**
 * A list for de-duplication tests: `rows` rows drawn from households 1..households (so every
 * household comes back many times, written a different way each time, anywhere in the list),
 * with, every so often, an unreadable address (some of them repeated word for word), a malformed
 * row (a field too many), and a name in quotes holding a line break (so that, cut into small
 * chunks, some of these straddle a chunk boundary). CRLF line endings, as the sample list.
 */
export function duplicatesList(rows: number, households: number, seed = 5): Buffer {
  const random = rng(seed);
  const lines = [csvLine(LIST_HEADER)];
  for (let i = 1; i <= rows; i++) {
    const fields = householdFields(variant(household(1 + Math.floor(random() * households)), random));
    if (i % 53 === 0) fields[2] = i % 106 === 0 ? 'General Delivery' : `See note ${i}`;
    if (i % 29 === 0) fields[0] = `${fields[0]}\r\nand family`;
    let line = csvLine(fields);
    if (i % 97 === 0) line += ',one field too many';
    lines.push(line);
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}
