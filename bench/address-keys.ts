/**
 * `npm run bench:address`: delivery-point keys per second over a generated 1M-row list whose
 * fields are already in memory, beside a baseline measured in the same run on the same fields
 * (upper-casing each field and collapsing its spaces: the least any normaliser must do).
 * Machines here are shared and noisy, so each side runs several rounds, interleaved, and the
 * best round counts.
 */
import { deliveryPointKey, type AddressInput } from '../src/address/delivery-point-key';
import { generateAddressList } from './address-list-generator';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const SPACES = /\s+/g;
function collapse(value: string | undefined): string {
  return value ? value.toUpperCase().replace(SPACES, ' ').trim() : '';
}

function baseline(list: readonly AddressInput[]): number {
  let sink = 0;
  for (const row of list) {
    const text = collapse(row.address1) + '|' + collapse(row.address2) + '|' + collapse(row.city) + '|' + collapse(row.state) + '|' + collapse(row.zip);
    sink += text.length;
  }
  return sink;
}

function keys(list: readonly AddressInput[]): number {
  let sink = 0;
  for (const row of list) {
    const result = deliveryPointKey(row);
    sink += result.ok ? result.key.length : 1;
  }
  return sink;
}

function time(run: (list: readonly AddressInput[]) => number, list: readonly AddressInput[]): number {
  const start = process.hrtime.bigint();
  run(list);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const list = generateAddressList(ROWS);
let readable = 0;
for (const row of list) if (deliveryPointKey(row).ok) readable++;
time(baseline, list.slice(0, 50_000));
time(keys, list.slice(0, 50_000));

let bestBaseline = Infinity;
let bestKeys = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  bestBaseline = Math.min(bestBaseline, time(baseline, list));
  bestKeys = Math.min(bestKeys, time(keys, list));
}
const keysPerSecond = ROWS / bestKeys;
const baselinePerSecond = ROWS / bestBaseline;
const format = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`rows: ${format(ROWS)} generated (${format(readable)} readable, ${format(ROWS - readable)} with a reason), best of ${ROUNDS} rounds, node ${process.version}`);
console.log(`baseline (upper-case + collapse spaces): ${format(baselinePerSecond)} rows/s`);
console.log(`deliveryPointKey:                        ${format(keysPerSecond)} keys/s`);
console.log(`ratio: ${(keysPerSecond / baselinePerSecond * 100).toFixed(0)}% of baseline (target ≥ 40%), ${keysPerSecond >= 1_000_000 ? 'meets' : 'below'} the 1,000,000 keys/s target`);
