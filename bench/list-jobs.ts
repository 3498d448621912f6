/**
 * The benchmarks' real job path (bench:cleanse, bench:scale): `mailpref worker` processes started
 * and stopped, a list uploaded and cleansed through the service and timed to its end, with each
 * worker's peak RSS, CPU and bytes written read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import type { QueueFactory } from '../src/lib/queues';
import { projectPath } from '../src/lib/project-path';
import { createRoot } from '../src/root';
import type { BenchStore } from './bench-store';

const logger = createLogger('warn');

/**
 * Uploads the list through the service and times the job until completed, with N worker
 * processes. Workers are long-running processes in service, so unless --warm-up-mib 0 they first
 * cleanse the warm-up list (the list's first rows), untimed: the timed job then runs on workers
 * whose code is already compiled, as it would on a running service.
 */
export async function timeMailpref(
  env: Record<string, string>,
  file: string,
  warmUp: string | undefined,
  workers: number,
  store: BenchStore,
  options: { chunkMib: number; rows: number; say: (text: string) => void },
): Promise<{ seconds: number; note: string; peakRss: number[]; bytesWritten: number[] }> {
  const { say } = options;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  const workerEnv = { ...process.env, ...env, QUEUE_PREFIX: queuePrefix, WORKER_CONCURRENCY: '1', LIST_CHUNK_BYTES: String(options.chunkMib * 1024 ** 2), LOG_LEVEL: 'info' };
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
      const writtenAtStart = children.map((child) => bytesWritten(child.pid!));
      const machineAtStart = machineCpu();
      const started = process.hrtime.bigint();
      // BullMQ's timestamps are wall-clock times: the job's are read against this one, not
      // against the monotonic clock, which the virtual machine's wall clock drifts from.
      const submittedAt = Date.now();
      await root.services.lists.submit(mailer, listId, 'bench.csv', { category: 'catalogs' }, upload);
      const job = await completed(listId);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peakRss = children.map((child) => peakRssKib(child.pid!));
      const written = children.map((child, i) => bytesWritten(child.pid!) - writtenAtStart[i]!);
      const cpu = children.map((child) => cpuSeconds(child.pid!) - cpuAtStart.get(child.pid!)!);
      const mainCpu = children.map((child) => cpuSeconds(child.pid!, 'main thread') - mainCpuAtStart.get(child.pid!)!);
      const machine = machineCpuSince(machineAtStart);
      say(`  ${workers} worker${workers > 1 ? 's' : ''}: ${seconds.toFixed(2)} s — ${await phases(root.queues, listId, submittedAt, options.rows)}; worker CPU ${cpu.map((c) => `${c.toFixed(2)} s`).join(' + ')} (main thread${workers > 1 ? 's' : ''} ${mainCpu.map((c) => `${c.toFixed(2)} s`).join(' + ')}, the rest file I/O and V8's own threads); ${machine}`);
      return { seconds, note: `${(job.rowsIn! - job.kept!).toLocaleString('en-US')} removed; the job: split, chunks, merge (upload not counted)`, peakRss, bytesWritten: written };
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
async function phases(queues: QueueFactory, listId: string, submitted: number, rows: number): Promise<string> {
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
  text += `, first chunk ${s(first - split.processedOn)} after the split began, ${chunks.length} chunks ${s(last - first)} (busy ${s(busy)}, ${((busy * 1000) / rows).toFixed(2)} µs a row)`;
  const hashed = await queues.queue('cleanse-list-hash').getJob(`${listId}-hash`);
  if (hashed?.finishedOn) text += `, outputs hashed ${s(hashed.finishedOn - last)} after the last chunk`;
  text += `, to merge ${s(merge.processedOn - last)}, merge ${s(merge.finishedOn - merge.processedOn)}`;
  return text;
}

/** SIGTERM, and SIGKILL if the worker has not exited 10 s later. */
export async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
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
export function cpuSeconds(pid: number, of: 'process' | 'main thread' = 'process'): number {
  const stat = of === 'process' ? `/proc/${pid}/stat` : `/proc/${pid}/task/${pid}/stat`;
  const fields = fs.readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The whole machine's CPU time so far (/proc/stat, clock ticks of 1/100 s): busy, taken by the hypervisor for other guests (steal), idle. */
export function machineCpu(): { busy: number; steal: number; idle: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number) as number[];
  return { busy: (user! + nice! + system! + irq! + softirq!) / 100, steal: steal! / 100, idle: (idle! + iowait!) / 100 };
}

/** What the machine's CPUs did since `start`: how much of their time was busy (every process), stolen by the host, or idle. */
export function machineCpuSince(start: ReturnType<typeof machineCpu>): string {
  const now = machineCpu();
  return `machine CPU busy ${(now.busy - start.busy).toFixed(2)} s, stolen by the host ${(now.steal - start.steal).toFixed(2)} s, idle ${(now.idle - start.idle).toFixed(2)} s`;
}

export function peakRssKib(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
}


/** Bytes a process has written so far (/proc/PID/io: wchar, what it handed to write(), files and sockets alike). */
export function bytesWritten(pid: number): number {
  return Number(/wchar:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
}
