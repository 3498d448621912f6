/**
 * `npm run bench:scale [-- --sizes 1000000,4000000,16000000 --rows 100000,2000000 --chunk-mib 4 --warm-up-mib 16]`:
 * how the store's size weighs on list jobs (issue 22).
 *
 * For each store size: writes a national-style operator file (bench/national-file.ts: points over
 * every ZIP3, a quarter refusing "catalogs"), seeds an empty database with it through the loader
 * (`mailpref store load`'s StoreLoadService: COPY and set-based writes), reads the category's whole
 * refused set once (as a running service has it stored), then runs each list (default 100k and 2M
 * rows drawn from the store's points) through the real job path with 2 `mailpref worker`
 * processes (bench/list-jobs.ts, as bench:cleanse), warmed by an untimed list first. Prints per
 * store: seeding seconds and points/s, job seconds, peak RSS per worker, bytes the workers wrote
 * per job, and the Postgres tables' and indexes' sizes; its last line compares the largest store
 * with the smallest:
 *   store ×N: 100k-row job ×A, 2M-row job ×B, peak RSS ×C
 * Each store's database is dropped after it is measured (a 16M store takes several GB).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config';
import { CategoriesStore } from '../src/categories/categories-store';
import { StoreLoadService } from '../src/choices/store-load-service';
import { Db, dropDatabase, ensureDatabase, withDatabase } from '../src/lib/db';
import { createLogger } from '../src/lib/logger';
import { migrate } from '../src/lib/migrate';
import { startBackingServers, type Close } from '../src/lib/backing-servers';
import { BenchStore } from './bench-store';
import { timeMailpref } from './list-jobs';
import { nationalListLines, nationalPoint, storeFileLines, writeLines } from './national-file';
import { deliveryPointKey } from '../src/address/delivery-point-key';
import { hashKey } from '../src/address/key-hash';
import { RefusalIndexStore } from '../src/choices/refusal-index-store';
import { LOOKUP_BATCH_KEYS } from '../src/lists/cleanse';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1]! : fallback;
}
const SIZES = option('sizes', '1000000,4000000').split(',').map(Number);
const ROWS = option('rows', '100000,2000000').split(',').map(Number);
const CHUNK_MIB = Number(option('chunk-mib', '4'));
const WARM_UP_ROWS = Number(option('warm-up-rows', '200000'));
/** --load-only: seed each store and print the loader's and the tables' figures, no list jobs. */
const LOAD_ONLY = process.argv.includes('--load-only');
const say = (text: string) => process.stdout.write(`${text}\n`);
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
const count = (n: number) => n.toLocaleString('en-US');

/** Sizes of the store's tables: heap (with TOAST), each index, total; and rows. */
export async function tableSizes(db: Db): Promise<{ table: string; rows: number; heap: number; indexes: { name: string; bytes: number }[]; total: number }[]> {
  const tables = ['delivery_points', 'preference_events', 'preferences', 'refusals'];
  const result = [];
  for (const table of tables) {
    const { rows } = await db.query<{ rows: string; heap: string; total: string }>(
      `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_table_size($1::regclass) AS heap, pg_total_relation_size($1::regclass) AS total`,
      [table],
    );
    const indexes = await db.query<{ name: string; bytes: string }>(
      'SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS bytes FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1',
      [table],
    );
    result.push({ table, rows: Number(rows[0]!.rows), heap: Number(rows[0]!.heap), total: Number(rows[0]!.total), indexes: indexes.rows.map((r) => ({ name: r.name, bytes: Number(r.bytes) })) });
  }
  return result;
}

/** Looks up keys of the store's points (random ones, as a list's) in the refusal index: keys a second. */
async function measureLookups(db: Db, points: number): Promise<{ rows: number; bytes: number; keys: number; refused: number; seconds: number }> {
  const index = new RefusalIndexStore(db);
  const { rows, bytes } = await index.size();
  const categoryId = await new BenchStore(db).categoryId('catalogs');
  const at = new Date();
  const keys = Math.min(points, 200_000);
  let refused = 0;
  let seconds = 0;
  const hash = { hi: 0, lo: 0 };
  for (let done = 0; done < keys; done += LOOKUP_BATCH_KEYS) {
    const batch = { hi: new Uint32Array(LOOKUP_BATCH_KEYS), lo: new Uint32Array(LOOKUP_BATCH_KEYS), count: Math.min(LOOKUP_BATCH_KEYS, keys - done) };
    for (let i = 0; i < batch.count; i++) {
      const p = nationalPoint(1 + ((done + i) * 2_654_435_761) % points);
      const keyed = deliveryPointKey({ address1: p.address1, address2: p.address2, city: p.city, state: p.state, zip: p.zip });
      if (!keyed.ok) throw new Error(`the bench's point ${done + i} has no key`);
      hashKey(keyed.key, hash);
      batch.hi[i] = hash.hi;
      batch.lo[i] = hash.lo;
    }
    const started = process.hrtime.bigint();
    refused += (await index.lookup(categoryId, at, batch)).length;
    seconds += Number(process.hrtime.bigint() - started) / 1e9;
  }
  return { rows, bytes, keys, refused, seconds };
}

interface StoreResult {
  points: number;
  seedSeconds: number;
  jobs: { rows: number; seconds: number; peakRssMib: number[]; bytesWritten: number[] }[];
}

async function measureStore(points: number, adminUrl: string, redisUrl: string, scratch: string): Promise<StoreResult> {
  say(`\n== store of ${count(points)} delivery points`);
  const dbName = `mailpref_scale_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(adminUrl, dbName);
  const databaseUrl = withDatabase(adminUrl, dbName);
  const db = new Db(databaseUrl);
  try {
    await migrate(db);
    const storeFile = path.join(scratch, 'store.csv');
    let started = Date.now();
    await writeLines(storeFile, storeFileLines(points));
    say(`wrote the operator's file (${mib(fs.statSync(storeFile).size)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    started = Date.now();
    const loader = new StoreLoadService(db, new CategoriesStore(db));
    const load = await loader.load(fs.createReadStream(storeFile, { highWaterMark: 1 << 20 }), storeFile, new Writable({ write: (_c, _e, done) => done() }));
    const seedSeconds = (Date.now() - started) / 1000;
    fs.rmSync(storeFile);
    say(
      `seeded through the loader in ${seedSeconds.toFixed(1)} s (${count(Math.round(points / seedSeconds))} points/s; read, key and COPY ${load.seconds.read.toFixed(1)} s, set-based writes ${load.seconds.write.toFixed(1)} s): ` +
        `${count(load.pointsCreated)} points, ${count(load.eventsWritten)} refusals, ${load.rejected} rejected`,
    );
    started = Date.now();
    await db.query('VACUUM ANALYZE delivery_points, preference_events, preferences');
    say(`VACUUM ANALYZE ${((Date.now() - started) / 1000).toFixed(1)} s`);

    for (const t of await tableSizes(db)) {
      say(
        `  ${t.table.padEnd(18)} ${count(t.rows).padStart(12)} rows  heap ${mib(t.heap).padStart(11)} (${(t.heap / Math.max(t.rows, 1)).toFixed(1)} B/row)  total ${mib(t.total).padStart(11)} (${(t.total / Math.max(t.rows, 1)).toFixed(1)} B/row)`,
      );
      for (const index of t.indexes) say(`      index ${index.name.padEnd(40)} ${mib(index.bytes).padStart(11)} (${(index.bytes / Math.max(t.rows, 1)).toFixed(1)} B/row)`);
    }

    const lookup = await measureLookups(db, points);
    say(
      `refusal index: ${count(lookup.rows)} refusals, ${mib(lookup.bytes)} in Postgres (${(lookup.bytes / Math.max(lookup.rows, 1)).toFixed(1)} B a refusal, table and index); ` +
        `lookups of ${count(lookup.keys)} keys of the store in batches of ${count(LOOKUP_BATCH_KEYS)}: ${count(Math.round(lookup.keys / lookup.seconds))} keys/s, ${count(lookup.refused)} refused`,
    );
    if (LOAD_ONLY) return { points, seedSeconds, jobs: [] };
    const store = new BenchStore(db);
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, DATA_DIR: path.join(scratch, `mailpref-${points}`), LOG_LEVEL: 'warn', LOAD_SAMPLE_DATA: 'false' };
    const warmUp = path.join(scratch, 'warm-up.csv');
    await writeLines(warmUp, nationalListLines(WARM_UP_ROWS, points, 7));
    const jobs: StoreResult['jobs'] = [];
    for (const rows of ROWS) {
      const list = path.join(scratch, `list-${rows}.csv`);
      await writeLines(list, nationalListLines(rows, points));
      const run = await timeMailpref(env, list, warmUp, 2, store, { chunkMib: CHUNK_MIB, rows, say });
      fs.rmSync(list);
      const peakRssMib = run.peakRss.map((kib) => kib / 1024);
      jobs.push({ rows, seconds: run.seconds, peakRssMib, bytesWritten: run.bytesWritten });
      say(`${count(rows)}-row list, 2 workers: ${run.seconds.toFixed(2)} s; peak RSS ${peakRssMib.map((m) => `${m.toFixed(0)} MiB`).join(', ')}; workers wrote ${run.bytesWritten.map(mib).join(' + ')}; ${run.note}`);
    }
    fs.rmSync(warmUp);
    fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
    return { points, seedSeconds, jobs };
  } finally {
    await db.close();
    await dropDatabase(adminUrl, dbName);
  }
}

async function main(): Promise<void> {
  say(`bench:scale — stores of ${SIZES.map(count).join(', ')} delivery points (¼ refuse "catalogs"), lists of ${ROWS.map(count).join(', ')} rows, 2 workers, chunks of ${CHUNK_MIB} MiB, ${os.cpus().length} CPUs`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-scale-'));
  const stops: Close[] = [];
  try {
    const { databaseUrl: adminUrl, redisUrl } = await startBackingServers(loadConfig({ ...process.env, DATA_DIR: path.join(scratch, 'data') }), createLogger('warn'), stops);
    const results: StoreResult[] = [];
    for (const points of SIZES) results.push(await measureStore(points, adminUrl, redisUrl, scratch));
    if (LOAD_ONLY) return;

    say('\nstore          seed s   points/s  ' + ROWS.map((r) => `${count(r)}-row job s`.padStart(18)).join('') + '   peak RSS per worker');
    for (const r of results) {
      const rss = Math.max(...r.jobs.flatMap((j) => j.peakRssMib));
      say(`${count(r.points).padEnd(12)} ${r.seedSeconds.toFixed(1).padStart(8)} ${count(Math.round(r.points / r.seedSeconds)).padStart(10)}  ${r.jobs.map((j) => j.seconds.toFixed(2).padStart(18)).join('')}   ${rss.toFixed(0)} MiB`);
    }
    const small = results[0]!;
    const large = results.at(-1)!;
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const rssOf = (r: StoreResult) => Math.max(...r.jobs.flatMap((j) => j.peakRssMib));
    say(
      `store ×${Math.round(large.points / small.points)}: ` +
        ROWS.map((rows, i) => `${rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows / 1000}k`}-row job ×${ratio(large.jobs[i]!.seconds, small.jobs[i]!.seconds)}`).join(', ') +
        `, peak RSS ×${ratio(rssOf(large), rssOf(small))}`,
    );
  } finally {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench:scale failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
