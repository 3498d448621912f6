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
import { spawn, type ChildProcess } from 'node:child_process';
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
import type { QueueFactory } from '../src/lib/queues';
import { projectPath } from '../src/lib/project-path';
import { createRoot } from '../src/root';
import { startBackingServers } from '../src/lib/backing-servers';
import { BenchStore } from './bench-store';
import { household, listLines } from './list-generator';

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
        const run = await timeMailpref(config, listPath, warmUpPath, workers, store);
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

/**
 * Uploads the list through the service and times the job until completed, with N worker
 * processes. Workers are long-running processes in service, so unless --warm-up-mib 0 they first
 * cleanse the warm-up list (the list's first rows), untimed: the timed job then runs on workers
 * whose code is already compiled, as it would on a running service.
 */
async function timeMailpref(env: Record<string, string>, file: string, warmUp: string | undefined, workers: number, store: BenchStore): Promise<{ seconds: number; note: string; peakRss: number[] }> {
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  const workerEnv = { ...process.env, ...env, QUEUE_PREFIX: queuePrefix, WORKER_CONCURRENCY: '1', LIST_CHUNK_BYTES: String(CHUNK_MIB * 1024 ** 2), LOG_LEVEL: 'info' };
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) children.push(await startWorker(workerEnv));
    const root = await createRoot(loadConfig({ ...env, QUEUE_PREFIX: queuePrefix }), { logger, migrate: false });
    try {
      const { apiKey } = await root.services.mailers.createMailer(`bench-${queuePrefix}`);
      const mailer = await root.services.mailers.authenticate(apiKey);
      const uploaded = async (listFile: string) => {
        const id = root.services.lists.newListId();
        return { id, upload: await root.services.lists.receiveUpload(id, fs.createReadStream(listFile, { highWaterMark: 1 << 20 })) };
      };
      // The list is done when the job that finishes it is (its merge, or the upload's own job for
      // a list done in one pass): waited for as BullMQ's events arrive, not by polling, which
      // would add up to a poll's interval to every time measured (and its CPU to the workers').
      const events = root.queues.queueEvents('cleanse-list');
      await events.waitUntilReady();
      const nextFinish = (id: string) =>
        new Promise<void>((resolve) => {
          const finish = () => {
            clearTimeout(timer);
            events.off('completed', onEvent);
            events.off('failed', onEvent);
            resolve();
          };
          const onEvent = ({ jobId }: { jobId: string }) => (jobId === id || jobId === `${id}-merge`) && finish();
          const timer = setTimeout(finish, 1_000);
          events.on('completed', onEvent);
          events.on('failed', onEvent);
        });
      const completed = async (id: string) => {
        for (;;) {
          const finished = nextFinish(id);
          const job = await store.listJob(id);
          if (job?.status === 'failed') throw new Error(`the cleanse failed: ${job.error}`);
          if (job?.status === 'completed') return job;
          await finished;
        }
      };
      if (warmUp) {
        const warm = await uploaded(warmUp);
        await root.services.lists.submit(mailer, warm.id, 'warm-up.csv', { category: 'catalogs' }, warm.upload);
        await completed(warm.id);
      }
      const { id: listId, upload } = await uploaded(file);
      const cpuAtStart = new Map(children.map((child) => [child.pid!, cpuSeconds(child.pid!)]));
      const mainCpuAtStart = new Map(children.map((child) => [child.pid!, cpuSeconds(child.pid!, 'main thread')]));
      const machineAtStart = machineCpu();
      const started = process.hrtime.bigint();
      // BullMQ's timestamps are wall-clock times: the job's are read against this one, not
      // against the monotonic clock, which the virtual machine's wall clock drifts from.
      const submittedAt = Date.now();
      await root.services.lists.submit(mailer, listId, 'bench.csv', { category: 'catalogs' }, upload);
      const job = await completed(listId);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peakRss = children.map((child) => peakRssKib(child.pid!));
      const cpu = children.map((child) => cpuSeconds(child.pid!) - cpuAtStart.get(child.pid!)!);
      const mainCpu = children.map((child) => cpuSeconds(child.pid!, 'main thread') - mainCpuAtStart.get(child.pid!)!);
      const machine = machineCpuSince(machineAtStart);
      say(`  ${workers} worker${workers > 1 ? 's' : ''}: ${seconds.toFixed(2)} s — ${await phases(root.queues, listId, submittedAt)}; worker CPU ${cpu.map((c) => `${c.toFixed(2)} s`).join(' + ')} (main thread${workers > 1 ? 's' : ''} ${mainCpu.map((c) => `${c.toFixed(2)} s`).join(' + ')}, the rest file I/O and V8's own threads); ${machine}`);
      return { seconds, note: `${(job.rowsIn! - job.kept!).toLocaleString('en-US')} removed; the job: split, chunks, merge (upload not counted)`, peakRss };
    } finally {
      await root.stop();
    }
  } finally {
    await Promise.all(children.map(stopWorker));
  }
}

/**
 * Where the job's time went, from BullMQ's own timestamps (ms since the epoch): waiting for a
 * worker, the split, the chunks (from the first one's start to the last one's end, and the
 * workers' busy time in them), the wait for the merge and the merge.
 */
async function phases(queues: QueueFactory, listId: string, submitted: number): Promise<string> {
  const queue = queues.queue('cleanse-list');
  // The list is marked completed a moment before BullMQ marks the job that completed it finished.
  let [split, merge] = await Promise.all([queue.getJob(listId), queue.getJob(`${listId}-merge`)]);
  for (let tries = 0; tries < 40 && !(merge ?? split)?.finishedOn; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    [split, merge] = await Promise.all([queue.getJob(listId), queue.getJob(`${listId}-merge`)]);
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  if (!split?.processedOn || !split.finishedOn) return 'no timestamps';
  let text = `queued ${s(split.processedOn - submitted)}, split ${s(split.finishedOn - split.processedOn)}`;
  if (!merge?.processedOn || !merge.finishedOn) return text;
  const chunks = (await Promise.all(Object.keys(await merge.getDependencies().then((d) => d.processed ?? {})).map((key) => queue.getJob(key.split(':').pop()!)))).filter((job) => job?.processedOn && job.finishedOn);
  const first = Math.min(...chunks.map((job) => job!.processedOn!));
  const last = Math.max(...chunks.map((job) => job!.finishedOn!));
  const busy = chunks.reduce((sum, job) => sum + job!.finishedOn! - job!.processedOn!, 0);
  // The split hands each chunk over as it cuts it: the first ones start while it reads on.
  text += `, first chunk ${s(first - split.processedOn)} after the split began, ${chunks.length} chunks ${s(last - first)} (busy ${s(busy)}, ${((busy * 1000) / ROWS).toFixed(2)} µs a row)`;
  const hashed = await queues.queue('cleanse-list-hash').getJob(`${listId}-hash`);
  if (hashed?.finishedOn) text += `, outputs hashed ${s(hashed.finishedOn - last)} after the last chunk`;
  text += `, to merge ${s(merge.processedOn - last)}, merge ${s(merge.finishedOn - merge.processedOn)}`;
  return text;
}

/** SIGTERM, and SIGKILL if the worker has not exited 10 s later. */
async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Started with the workers' node flags, the command runs the workers itself (it would
    // otherwise fork one process that does, with those flags): this pid is the worker's.
    const flags = [...loadConfig(env).queue.nodeFlags];
    if (process.env.BENCH_CPU_PROF) flags.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`);
    if (process.env.BENCH_NODE_FLAGS) flags.push(...process.env.BENCH_NODE_FLAGS.split(' '));
    const child = spawn(process.execPath, [...flags, projectPath('dist/src/cli.js'), 'worker'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('workers started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before starting: ${output.slice(-500)}`)));
  });
}

/**
 * User + system CPU time so far of a process (all its threads), or of its main thread alone (the
 * thread that runs JavaScript), from /proc (clock ticks of 1/100 s).
 */
function cpuSeconds(pid: number, of: 'process' | 'main thread' = 'process'): number {
  const stat = of === 'process' ? `/proc/${pid}/stat` : `/proc/${pid}/task/${pid}/stat`;
  const fields = fs.readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The whole machine's CPU time so far (/proc/stat, clock ticks of 1/100 s): busy, taken by the hypervisor for other guests (steal), idle. */
function machineCpu(): { busy: number; steal: number; idle: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number) as number[];
  return { busy: (user! + nice! + system! + irq! + softirq!) / 100, steal: steal! / 100, idle: (idle! + iowait!) / 100 };
}

/** What the machine's CPUs did since `start`: how much of their time was busy (every process), stolen by the host, or idle. */
function machineCpuSince(start: ReturnType<typeof machineCpu>): string {
  const now = machineCpu();
  return `machine CPU busy ${(now.busy - start.busy).toFixed(2)} s, stolen by the host ${(now.steal - start.steal).toFixed(2)} s, idle ${(now.idle - start.idle).toFixed(2)} s`;
}

function peakRssKib(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

main().catch((error) => {
  process.stderr.write(`bench:cleanse failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
