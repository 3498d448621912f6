/**
 * Synthetic national-style files for `npm run bench:scale` (and `tsx bench/national-file.ts
 * --points N --out FILE` to write one): delivery points spread over every ZIP3 (ZIP codes
 * 10000–99999, each point's ZIP taken from its number so ZIP3s fill evenly, as mail is sorted),
 * each point a distinct delivery point (a distinct house number within its ZIP), a quarter
 * refusing "catalogs". A list drawn from those points writes each address as real lists do
 * (list-generator.ts's variant).
 */
import fs from 'node:fs';
import { csvLine, householdFields, rng, variant, type Household } from './list-generator';

const STREETS = ['Main', 'Oak', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Pine', 'Sunset', 'Lincoln', 'Jackson', 'River', 'Church', 'Highland', 'Forest', 'Meadow', 'Spring', 'Ridge'];
const SUFFIXES = ['Street', 'Avenue', 'Road', 'Drive', 'Lane', 'Court', 'Boulevard', 'Place'];
const STATES = ['NY', 'PA', 'GA', 'FL', 'OH', 'IL', 'TX', 'CO', 'CA', 'WA'];
const ZIPS = 90_000;

export const STORE_FILE_HEADER = ['address1', 'address2', 'city', 'state', 'zip', 'catalogs'];

/** Delivery point n (1-based): the same n always gives the same address; distinct n, distinct delivery points. */
export function nationalPoint(n: number): Household {
  const zip = 10_000 + ((n * 7919) % ZIPS); // 7919 is prime to 90,000: n → ZIP is spread, and one-to-one within each 90,000
  const number = 1 + Math.floor((n - 1) / ZIPS);
  const street = STREETS[(n * 31) % STREETS.length]!;
  const suffix = SUFFIXES[(n * 17) % SUFFIXES.length]!;
  return { first: 'Resident', last: '', address1: `${number} ${street} ${suffix}`, address2: n % 5 === 0 ? `Apt ${1 + (n % 40)}` : '', city: 'Anytown', state: STATES[Math.floor(zip / 10_000) % STATES.length]!, zip: String(zip) };
}

/** The operator's store file: every point, a quarter refusing catalogs, the others not answering. */
export function* storeFileLines(points: number): Generator<string> {
  yield csvLine(STORE_FILE_HEADER);
  for (let n = 1; n <= points; n++) {
    const p = nationalPoint(n);
    yield csvLine([p.address1, p.address2, p.city, p.state, p.zip, n % 4 === 0 ? 'refuse' : '']);
  }
}

/** A mailer's list of `rows` rows drawn at random from the store's points, written as lists write them. */
export function* nationalListLines(rows: number, points: number, seed = 42): Generator<string> {
  const random = rng(seed);
  yield csvLine(['first_name', 'last_name', 'address1', 'address2', 'city', 'state', 'zip']);
  for (let i = 0; i < rows; i++) yield csvLine(householdFields(variant(nationalPoint(1 + Math.floor(random() * points)), random)));
}

/** Writes lines to a file in 10,000-line writes (CRLF, as the lists are). */
export async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = fs.createWriteStream(file);
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length === 10_000) {
      if (!out.write(batch.join('\r\n') + '\r\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = [];
    }
  }
  await new Promise((resolve) => out.end(batch.length ? batch.join('\r\n') + '\r\n' : '', () => resolve(undefined)));
}

if (require.main === module) {
  const arg = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? process.argv[index + 1] : undefined;
  };
  const out = arg('out');
  if (!out) throw new Error('usage: tsx bench/national-file.ts --points N --out FILE');
  void writeLines(out, storeFileLines(Number(arg('points') ?? 1_000_000)));
}
