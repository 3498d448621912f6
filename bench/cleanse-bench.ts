/**
 * `npm run bench:cleanse [-- --rows N --points N --chunk-mib N --rounds N --warm-up-mib N]`: list
 * cleansing throughput.
 *
 * Generates a realistic list (default 2M rows) and a preference store (default 1M delivery
 * points, a quarter of them refusing "catalogs"), then measures in this one run:
 *   (a) csv-parse alone reading the list: the floor of this stack;
 *   (b) a Postgres peer: COPY the list in, anti-join on a naive key (upper-cased address fields
 *       concatenated), COPY the rest out;
 *   (c) mailpref itself, through the real job path (upload → split → chunks → merge), with one
 *       and with two `mailpref worker` processes, each first warmed by an untimed job on the
 *       list's first 16 MiB (a running service's workers have long compiled their code; 0 turns
 *       it off); peak RSS of each worker from /proc.
 * Each timed run also prints what the whole machine's CPUs did meanwhile (/proc/stat: busy,
 * stolen by the hypervisor, idle): other work on the machine shows as busy time beyond the
 * workers' own, a host taking CPU away as steal.
 * The workers run with WORKER_NODE_FLAGS (default --single-threaded-gc; WORKER_NODE_FLAGS= to run
 * without). BENCH_CPU_PROF=DIR writes the workers' CPU profiles to DIR; BENCH_NODE_FLAGS="--flag …"
 * adds those V8/Node flags.
 * Machines here are shared and noisy, so only ratios within one run mean much; with --rounds N
 * the four measurements are taken N times, one after the other, and each keeps its best round
 * (the same rule for the baselines as for mailpref), so a burst of someone else's load in one
 * phase does not decide a ratio.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse';
import { deliveryPointKey } from '../src/address/delivery-point-key';
import { loadConfig } from '../src/config';
import { Db, ensureDatabase, withDatabase } from '../src/lib/db';
import { createLogger } from '../src/lib/logger';
import { migrate } from '../src/lib/migrate';
import { startBackingServers } from '../src/lib/backing-servers';
import { BenchStore } from './bench-store';
import { household, listLines } from './list-generator';
import { machineCpu, machineCpuSince, timeMailpref } from './list-jobs';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const ROWS = option('rows', 2_000_000);
const POINTS = option('points', 1_000_000);
const CHUNK_MIB = option('chunk-mib', 4);
const ROUNDS = option('rounds', 1);
const WARM_UP_MIB = option('warm-up-mib', 16);
const logger = createLogger('warn');
const say = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  say(`bench:cleanse — list of ${ROWS.toLocaleString('en-US')} rows, preference store of ${POINTS.toLocaleString('en-US')} delivery points (¼ refuse "catalogs"), chunks of ${CHUNK_MIB} MiB, ${WARM_UP_MIB > 0 ? `workers warmed by an untimed ${WARM_UP_MIB} MiB list` : 'cold workers'}, worker node flags: ${loadConfig().queue.nodeFlags.join(' ') || 'none'}, ${os.cpus().length} CPUs`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-bench-'));
  fs.chmodSync(scratch, 0o777); // the PostgreSQL server (another OS user) reads and writes the COPY files here
  const stops: (() => Promise<void> | void)[] = [];
  try {
    const { databaseUrl: adminUrl, redisUrl } = await startBackingServers(loadConfig({ ...process.env, DATA_DIR: path.join(scratch, 'data') }), logger, stops);
    const dbName = `mailpref_bench_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(adminUrl, dbName);
    const databaseUrl = withDatabase(adminUrl, dbName);
    const db = new Db(databaseUrl);
    stops.push(() => db.close());
    await migrate(db);
    const store = new BenchStore(db);

    let started = Date.now();
    await seedPreferences(store);
    say(`seeded the preference store in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const listPath = path.join(scratch, 'list.csv');
    started = Date.now();
    await writeList(listPath);
    fs.chmodSync(listPath, 0o644);
    const bytes = fs.statSync(listPath).size;
    const warmUpPath = WARM_UP_MIB > 0 ? writeWarmUpList(listPath, path.join(scratch, 'warm-up.csv')) : undefined;
    say(`generated the list (${(bytes / 1024 ** 2).toFixed(0)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const results: { name: string; seconds: number; note: string }[] = [];
    const keepBest = (index: number, run: { name: string; seconds: number; note: string }) => {
      if (!results[index] || run.seconds < results[index].seconds) results[index] = run;
    };
    const config = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, DATA_DIR: path.join(scratch, 'mailpref'), LOG_LEVEL: 'warn', LOAD_SAMPLE_DATA: 'false' };
    // The jobs look up only their own keys in the refusal index (docs/refusal-index.md): nothing
    // of the category's set is read or stored before them.
    say(`the refusal index holds ${(await store.refusalCount()).toLocaleString('en-US')} refusals; each job looks up only its own keys\n`);
    const peakRss = new Map<number, number[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      if (ROUNDS > 1) say(`round ${round} of ${ROUNDS}`);
      keepBest(0, { name: '(a) csv-parse alone (floor)', ...(await timeCsvParse(listPath)) });
      keepBest(1, { name: '(b) Postgres COPY + anti-join', ...(await timePostgresPeer(store, listPath, scratch)) });
      for (const workers of [1, 2]) {
        const run = await timeMailpref(config, listPath, warmUpPath, workers, store, { chunkMib: CHUNK_MIB, rows: ROWS, say });
        keepBest(1 + workers, { name: `(c) mailpref, ${workers} worker${workers > 1 ? 's' : ''}`, seconds: run.seconds, note: run.note });
        const highest = peakRss.get(workers) ?? [];
        peakRss.set(workers, run.peakRss.map((kib, i) => Math.max(kib, highest[i] ?? 0)));
      }
    }
    const rss = [...peakRss].map(([workers, kibs]) => `${workers} worker(s): ${kibs.map((kib) => `${(kib / 1024).toFixed(0)} MiB`).join(', ')}`);

    const rate = (seconds: number) => ROWS / seconds;
    say('');
    if (ROUNDS > 1) say(`best of ${ROUNDS} rounds for each run`);
    say(`${'run'.padEnd(34)}${'seconds'.padStart(9)}${'rows/s'.padStart(12)}  note`);
    for (const r of results) say(`${r.name.padEnd(34)}${r.seconds.toFixed(2).padStart(9)}${Math.round(rate(r.seconds)).toLocaleString('en-US').padStart(12)}  ${r.note}`);
    const [floor, peer, one, two] = results.map((r) => rate(r.seconds));
    say('');
    say(`mailpref 2 workers / Postgres peer   ${(two! / peer!).toFixed(2)}×   (aim ≥ 1.0)`);
    say(`mailpref 1 worker / csv-parse floor  ${(one! / floor!).toFixed(2)}×   (aim ≥ 0.5)`);
    say(`mailpref 2 workers / 1 worker        ${(two! / one!).toFixed(2)}×`);
    say(`peak RSS per worker                  ${rss.join('; ')}   (aim ≤ 512 MiB at 10M rows)`);
  } finally {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function seedPreferences(store: BenchStore): Promise<void> {
  await store.createNaiveTable();
  const categoryId = await store.categoryId('catalogs');
  for (let start = 1; start <= POINTS; start += 10_000) {
    const batch = [];
    for (let n = start; n < Math.min(start + 10_000, POINTS + 1); n++) {
      const h = household(n);
      const key = deliveryPointKey(h);
      if (!key.ok) continue;
      const { line, city, state, zip5 } = key.components;
      batch.push({ key: key.key, line, city, state, zip5, refused: n % 4 === 0, naiveKey: `${h.address1.toUpperCase()}|${h.address2.toUpperCase()}|${h.zip}` });
    }
    await store.insertPoints(batch, categoryId);
  }
  await store.analyze();
}

async function writeList(file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  let lines: string[] = [];
  for (const line of listLines(ROWS, POINTS)) {
    lines.push(line);
    if (lines.length === 10_000) {
      if (!out.write(lines.join('\r\n') + '\r\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      lines = [];
    }
  }
  await new Promise((resolve) => out.end(lines.length ? lines.join('\r\n') + '\r\n' : '', () => resolve(undefined)));
}

/** The list's first WARM_UP_MIB MiB, cut after a whole row. */
function writeWarmUpList(listPath: string, warmUpPath: string): string {
  const fd = fs.openSync(listPath, 'r');
  const head = Buffer.alloc(WARM_UP_MIB * 1024 ** 2);
  const read = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  fs.writeFileSync(warmUpPath, head.subarray(0, head.lastIndexOf(10, read - 1) + 1));
  return warmUpPath;
}

async function timeCsvParse(file: string): Promise<{ seconds: number; note: string }> {
  const machineAtStart = machineCpu();
  const started = process.hrtime.bigint();
  let records = 0;
  for await (const _record of fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse({ from_line: 2 }))) records++;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  say(`  csv-parse: ${seconds.toFixed(2)} s; ${machineCpuSince(machineAtStart)}`);
  return { seconds, note: `${records.toLocaleString('en-US')} records parsed` };
}

async function timePostgresPeer(store: BenchStore, file: string, scratch: string): Promise<{ seconds: number; note: string }> {
  const out = path.join(scratch, 'peer-out.csv');
  const machineAtStart = machineCpu();
  const started = process.hrtime.bigint();
  const kept = await store.postgresPeer(file, out);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  say(`  Postgres peer: ${seconds.toFixed(2)} s; ${machineCpuSince(machineAtStart)}`);
  return { seconds, note: `${(ROWS - kept).toLocaleString('en-US')} removed (a naive key misses re-spelled addresses)` };
}

main().catch((error) => {
  process.stderr.write(`bench:cleanse failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
