/**
 * `npm run bench:rows [-- --rows N --passes N --callgrind]`: what one row costs the cleanse itself.
 *
 * In one process, on a generated list held in memory (default 100,000 rows, the same generator as
 * bench:cleanse), it times the cleanse's own per-row work (cleanseRange: split, decode, key, look
 * up, outputs, as a chunk does it, without files, BullMQ or other processes) against csv-parse
 * reading the same bytes, the floor of this stack, each pass after the other, and keeps each
 * one's best pass.
 *
 * With --callgrind it counts instructions instead of seconds: each of the two runs in a process
 * of its own under `valgrind --tool=callgrind`, once with one pass and once with 1 + N, so that
 * the difference is N passes of steady-state work (compilation, start-up and the first pass
 * cancel out). Instruction counts hardly move with the machine's load, so a change of a few
 * percent shows, which timings on a shared 2-core machine hide; they do not count cache misses,
 * so a change that saves instructions still has to be confirmed by bench:cleanse.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { loadConfig } from '../src/config';
import { ByteSink } from '../src/lists/cleanse/byte-sink';
import { cleanseRange } from '../src/lists/cleanse/cleanse-range';
import { KeyHashTable } from '../src/lists/cleanse/key-hash-table';
import { prepareList, rowsOptions, type PreparedList } from '../src/lists/cleanse/list-cleanser';
import { walkRangeRows } from '../src/lists/cleanse/range-rows';
import { refusalsOfRange, type RefusalLookup } from '../src/lists/cleanse/range-refusals';
import { memorySource } from '../test/support/memory-list';
import { listLines } from './list-generator';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const ROWS = option('rows', 100_000);
const PASSES = option('passes', process.argv.includes('--callgrind') ? 3 : 5);
const say = (text: string) => process.stdout.write(`${text}\n`);
// The list is read in pieces of this size into two buffers in turn, as FileStorage.readBlocks reads a file.
const READ_BYTES = 1 << 20;
type Run = 'mailpref' | 'one-pass' | 'csv-parse';

/** The list bench:cleanse writes (households of 1 M, real lists' spellings), in memory. */
function generateList(rows: number): Buffer {
  return Buffer.from([...listLines(rows, 1_000_000)].join('\r\n') + '\r\n');
}

/** Outputs counted, not kept: the files are bench:cleanse's business. */
class CountingSink extends ByteSink {
  override async write(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
  }
}

const SETTINGS = { mode: 'suppress' as const, dedupe: false, keepUnreadable: false, mapping: {} };

/** The work of one run, set up once: each call is one pass over the list, in seconds. */
async function prepare(run: Run, buf: Buffer): Promise<() => Promise<number>> {
  if (run === 'csv-parse') {
    return async () => {
      const started = process.hrtime.bigint();
      let records = 0;
      for await (const _record of Readable.from(memorySource(buf, READ_BYTES).open()).pipe(parse({ from_line: 2 }))) records++;
      if (records !== ROWS) throw new Error(`csv-parse read ${records} records, not ${ROWS}`);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
  }
  const source = memorySource(buf, READ_BYTES);
  const prepared: PreparedList = await prepareList(source, {});
  const range = { start: prepared.header.dataStart, end: buf.length };
  const options = rowsOptions(prepared, { start: range.start, firstLine: prepared.header.firstDataLine }, SETTINGS);
  // About a quarter of the list's delivery points refuse, as in bench:cleanse (there chosen by
  // household; here by the key's hash, which needs no preference store). The set is the list's
  // own, ~25,000 keys at 100,000 rows against bench:cleanse's 250,000: a smaller table, which
  // counts the same instructions a lookup but misses the CPU's caches less often.
  const refused = new KeyHashTable(ROWS);
  await walkRangeRows(source.open(range), options, (_record, key, hash) => {
    if (key?.ok && (hash.lo & 3) === 0) refused.setHashIfAbsent(hash, 1_700_000_000);
  });
  if (run === 'one-pass') {
    // The cleanse alone, given the range's refused set (as chunks had it before the refusal index).
    return async () => {
      const started = process.hrtime.bigint();
      const counts = await cleanseRange(source.open(range), { ...options, refused, mode: 'suppress', keepUnreadable: false, keptRanges: true }, new CountingSink({ hash: false }), new CountingSink({ hash: false }));
      if (counts.rowsIn !== ROWS) throw new Error(`the cleanse read ${counts.rowsIn} rows, not ${ROWS}`);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
  }
  // As a chunk does it: the refusal walk (keys recorded, distinct keys looked up in batches; here
  // the lookup answers from memory, so Postgres's share is not counted), then the cleanse reading
  // the recorded keys.
  const lookup: RefusalLookup = async (keys) => {
    const found: { hi: number; lo: number; at: number }[] = [];
    const hash = { hi: 0, lo: 0 };
    for (let i = 0; i < keys.count; i++) {
      hash.hi = keys.hi[i]!;
      hash.lo = keys.lo[i]!;
      const at = refused.getHash(hash);
      if (at !== 0) found.push({ hi: hash.hi, lo: hash.lo, at });
    }
    return found;
  };
  return async () => {
    const started = process.hrtime.bigint();
    const refusals = await refusalsOfRange(source, prepared, { ...range, firstLine: prepared.header.firstDataLine }, SETTINGS, lookup);
    const counts = await cleanseRange(
      source.open(range),
      { ...options, keys: { mode: 'replay', recorded: refusals.recorded }, refused: refusals.refused, mode: 'suppress', keepUnreadable: false, keptRanges: true },
      new CountingSink({ hash: false }),
      new CountingSink({ hash: false }),
    );
    if (counts.rowsIn !== ROWS) throw new Error(`the cleanse read ${counts.rowsIn} rows, not ${ROWS}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
}

/** Under callgrind: one run, `passes` passes, then exit (the parent reads valgrind's count). */
async function child(run: Run, passes: number): Promise<void> {
  const pass = await prepare(run, generateList(ROWS));
  for (let i = 0; i < passes; i++) await pass();
}

async function timed(): Promise<void> {
  const buf = generateList(ROWS);
  const runs: Record<Run, () => Promise<number>> = { mailpref: await prepare('mailpref', buf), 'one-pass': await prepare('one-pass', buf), 'csv-parse': await prepare('csv-parse', buf) };
  const best: Record<Run, number> = { mailpref: Infinity, 'one-pass': Infinity, 'csv-parse': Infinity };
  for (let i = 0; i < PASSES; i++) for (const run of ['csv-parse', 'one-pass', 'mailpref'] as const) best[run] = Math.min(best[run], await runs[run]());
  say(`bench:rows — ${ROWS.toLocaleString('en-US')} rows in memory, best of ${PASSES} passes each, in this process (node's default flags, not the workers')`);
  say(`  csv-parse alone (floor)   ${((best['csv-parse'] * 1e6) / ROWS).toFixed(3)} µs a row`);
  say(`  cleanseRange alone        ${((best['one-pass'] * 1e6) / ROWS).toFixed(3)} µs a row (given the refused set: the cleanse before the refusal index)`);
  say(`  mailpref, as a chunk      ${((best.mailpref * 1e6) / ROWS).toFixed(3)} µs a row (the refusal walk and its lookups answered from memory, then cleanseRange on the recorded keys)`);
  say(`  mailpref / csv-parse      ${(best['csv-parse'] / best.mailpref).toFixed(2)}× as fast`);
}

/** Instructions valgrind counted for one child run. */
function countInstructions(run: Run, passes: number): Promise<number> {
  const flags = [...loadConfig().queue.nodeFlags, '--single-threaded'];
  const script = __filename; // dist/bench/row-instructions.js: the benchmarks run the compiled build
  const outFile = path.join(os.tmpdir(), `mailpref-bench-rows-${process.pid}-${run}-${passes}.out`);
  const args = ['--tool=callgrind', `--callgrind-out-file=${outFile}`, process.execPath, ...flags, script, '--rows', String(ROWS)];
  return new Promise((resolve, reject) => {
    const proc = spawn('valgrind', args, { env: { ...process.env, BENCH_ROWS_CHILD: `${run}:${passes}` }, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    proc.on('error', (error) => reject(new Error(`cannot run valgrind (${error.message}): install it (Debian: apt-get install valgrind)`)));
    proc.on('exit', (code) => {
      fs.rmSync(outFile, { force: true });
      const collected = /Collected : (\d+)/.exec(stderr);
      if (code !== 0 || !collected) reject(new Error(`valgrind ${run} (${passes} passes) exited with ${code}:\n${stderr.slice(-2000)}`));
      else resolve(Number(collected[1]));
    });
  });
}

async function counted(): Promise<void> {
  say(`bench:rows --callgrind — ${ROWS.toLocaleString('en-US')} rows, instructions of ${PASSES} passes (a run of ${PASSES + 1} passes minus a run of 1), under valgrind: a few minutes`);
  const perRow: Partial<Record<Run, number>> = {};
  for (const run of ['csv-parse', 'mailpref'] as const) {
    // The two processes of a run at once: one per core.
    const [one, more] = await Promise.all([countInstructions(run, 1), countInstructions(run, PASSES + 1)]);
    perRow[run] = (more - one) / (PASSES * ROWS);
    say(`  ${run.padEnd(24)}${Math.round(perRow[run]!).toLocaleString('en-US').padStart(8)} instructions a row`);
  }
  say(`  mailpref / csv-parse     ${(perRow.mailpref! / perRow['csv-parse']!).toFixed(2)}× the instructions`);
}

async function main(): Promise<void> {
  const childRun = process.env.BENCH_ROWS_CHILD;
  if (childRun) {
    const [run, passes] = childRun.split(':');
    return child(run as Run, Number(passes));
  }
  return process.argv.includes('--callgrind') ? counted() : timed();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
