/**
 * `npm run bench:address`: delivery-point keys per second over a generated 1M-row list whose
 * fields are already in memory, beside a baseline measured in the same run on the same fields
 * (upper-casing each field and collapsing its spaces: the least any normaliser must do).
 * Machines here are shared and noisy: both sides run on the same chunks one right after the
 * other, and the ratio is the median over rounds.
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

const CHUNK = 50_000;

const list = generateAddressList(ROWS);
let readable = 0;
for (const row of list) if (deliveryPointKey(row).ok) readable++;
const chunks: AddressInput[][] = [];
for (let i = 0; i < ROWS; i += CHUNK) chunks.push(list.slice(i, i + CHUNK));
time(baseline, chunks[0]!);
time(keys, chunks[0]!);

// Each round walks the list in chunks, timing the baseline and the keys on the same chunk one
// right after the other, so that load from other processes falls on both sides alike.
const rounds: Array<{ baseline: number; keys: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  let baselineSeconds = 0;
  let keySeconds = 0;
  for (const chunk of chunks) {
    baselineSeconds += time(baseline, chunk);
    keySeconds += time(keys, chunk);
  }
  rounds.push({ baseline: baselineSeconds, keys: keySeconds });
}
const bestKeys = Math.min(...rounds.map((round) => round.keys));
const bestBaseline = Math.min(...rounds.map((round) => round.baseline));
const ratios = rounds.map((round) => round.baseline / round.keys).sort((a, b) => a - b);
const medianRatio = ratios[Math.floor(ratios.length / 2)]!;
const keysPerSecond = ROWS / bestKeys;
const baselinePerSecond = ROWS / bestBaseline;
const format = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`rows: ${format(ROWS)} generated (${format(readable)} readable, ${format(ROWS - readable)} with a reason), ${ROUNDS} rounds, node ${process.version}`);
console.log(`baseline (upper-case + collapse spaces): ${format(baselinePerSecond)} rows/s (best round)`);
console.log(`deliveryPointKey:                        ${format(keysPerSecond)} keys/s (best round)`);
console.log(`ratio: ${(medianRatio * 100).toFixed(0)}% of baseline (median of rounds; ${ratios.map((r) => (r * 100).toFixed(0)).join(' ')}), target ≥ 40%`);
console.log(`target 1,000,000 keys/s on one core: ${keysPerSecond >= 1_000_000 ? 'met' : 'not met on this machine'}`);
