/**
 * `npm run bench:form`: drives the household form's code-entry and submit endpoints with autocannon
 * against a running `mailpref serve` (a separate process, or several with BENCH_WEB_PROCESSES) on
 * real PostgreSQL and Redis (embedded unless DATABASE_URL / REDIS_URL are set), next to a baseline
 * endpoint measured in the same run, then checks that concurrent submissions for one code neither
 * lose nor double an event. Autocannon runs in this process, which does nothing else meanwhile:
 * the server under test keeps its event loop to itself, as it would in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config';
import { freePort } from '../src/lib/free-port';
import { createLogger } from '../src/lib/logger';
import { projectPath } from '../src/lib/project-path';
import { createRoot, type Root } from '../src/root';
import { startBackingServers } from '../src/lib/backing-servers';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const HOUSEHOLDS = 200;
const SLUGS = ['catalogs', 'credit-insurance-offers', 'coupons-retail', 'magazines-subscriptions', 'charity-nonprofit', 'political', 'other'];

interface Visitor {
  cookie: string;
  csrf: string;
}

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
}

/** A browser's first visit to the code page: its cookies and the form's CSRF token. */
async function visit(base: string): Promise<Visitor> {
  const response = await fetch(`${base}/code`);
  const html = await response.text();
  return { cookie: cookiesOf(response).join('; '), csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]! };
}

async function signIn(base: string, code: string, zip: string): Promise<Visitor> {
  const visitor = await visit(base);
  const response = await fetch(`${base}/code`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.cookie },
    body: new URLSearchParams({ _csrf: visitor.csrf, code, zip }).toString(),
  });
  if (response.status !== 303) throw new Error(`code entry failed: ${response.status}`);
  return { cookie: [visitor.cookie, ...cookiesOf(response)].join('; '), csrf: visitor.csrf };
}

function confirmBody(csrf: string, accepted: string[]): string {
  const form = new URLSearchParams({ _csrf: csrf });
  for (const slug of SLUGS) form.append('shown', slug);
  for (const slug of accepted) form.append('accept', slug);
  return form.toString();
}

/**
 * CPU seconds used so far by processes (Linux /proc): the web processes, and PostgreSQL's and
 * Redis's. Per request, they say where the machine's time goes whatever else runs beside the bench.
 */
function cpuSeconds(pids: number[]): Map<number, number> {
  const tick = 100; // USER_HZ, 100 on every Linux we run on
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / tick); // utime, stime
    } catch {
      // gone: a short-lived process
    }
  }
  return used;
}

/** CPU seconds the processes used between two readings; a process started meanwhile (a new pool connection's backend) counts whole. */
function cpuUsedBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}

/** Every descendant of a process (the web processes of a cluster primary; PostgreSQL's backends). */
function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  if (!fs.existsSync('/proc')) return [root]; // not Linux: the CPU columns read 0
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

interface Measured {
  web: () => number[];
  servers: () => number[];
}

let measured: Measured | undefined;

async function run(name: string, options: autocannon.Options): Promise<{ name: string; rps: number; p99: number; expected: number; total: number; webCpuMs: number; serversCpuMs: number; clientCpuMs: number }> {
  const web = measured?.web() ?? [];
  const servers = measured?.servers() ?? [];
  const [webBefore, serversBefore, benchBefore] = [cpuSeconds(web), cpuSeconds(servers), process.cpuUsage()];
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  const benchUsed = process.cpuUsage(benchBefore);
  const [webAfter, serversAfter] = [measured?.web() ?? [], measured?.servers() ?? []];
  const [webUsed, serversUsed] = [cpuUsedBetween(webBefore, cpuSeconds(webAfter)), cpuUsedBetween(serversBefore, cpuSeconds(serversAfter))];
  const stats = result.statusCodeStats ?? {};
  const total = Object.values(stats).reduce((sum, stat) => sum + (stat.count ?? 0), 0);
  const expectedStatus = options.method === 'POST' ? '303' : '200';
  const perRequest = (seconds: number) => (total > 0 ? (seconds * 1000) / total : 0);
  return {
    name,
    rps: result.requests.average,
    p99: result.latency.p99,
    expected: stats[expectedStatus as `${number}`]?.count ?? 0,
    total,
    webCpuMs: perRequest(webUsed),
    serversCpuMs: perRequest(serversUsed),
    clientCpuMs: perRequest((benchUsed.user + benchUsed.system) / 1e6),
  };
}

async function checkConcurrentSubmissions(root: Root, base: string, code: string, zip: string, deliveryPointId: number): Promise<string[]> {
  const problems: string[] = [];
  const session = await signIn(base, code, zip);
  const before = (await root.services.choices.history(deliveryPointId)).length;
  const bodies = Array.from({ length: 200 }, (_, i) => confirmBody(session.csrf, i % 2 === 0 ? ['catalogs'] : ['political', 'other']));
  const statuses = await Promise.all(
    bodies.map((body) =>
      fetch(`${base}/confirm`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie }, body }).then((r) => r.status),
    ),
  );
  if (statuses.some((status) => status !== 303)) problems.push(`not every submission was confirmed: ${[...new Set(statuses)].join(', ')}`);
  const history = (await root.services.choices.history(deliveryPointId)).slice(before);
  const view = await root.services.choices.view(deliveryPointId);
  for (const slug of SLUGS) {
    const chain = history.filter((event) => event.slug === slug);
    for (let i = 1; i < chain.length; i++) {
      if (chain[i]!.previous !== chain[i - 1]!.accepted) problems.push(`${slug}: event ${chain[i]!.id} says previous=${chain[i]!.previous} but the event before set ${chain[i - 1]!.accepted} (lost update)`);
      if (chain[i]!.previous === chain[i]!.accepted) problems.push(`${slug}: event ${chain[i]!.id} changes nothing (doubled event)`);
    }
    const last = chain[chain.length - 1];
    const current = view.choices.find((choice) => choice.slug === slug)!.accepted;
    if (last && current !== last.accepted) problems.push(`${slug}: current state ${current} differs from the last event ${last.accepted}`);
  }
  // The same submission 100 times at once: only the first may write.
  const same = confirmBody(session.csrf, ['coupons-retail']);
  const beforeSame = (await root.services.choices.history(deliveryPointId)).length;
  await Promise.all(
    Array.from({ length: 100 }, () =>
      fetch(`${base}/confirm`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie }, body: same }),
    ),
  );
  const afterSame = await root.services.choices.history(deliveryPointId);
  const expectedChanges = SLUGS.filter((slug) => (view.choices.find((c) => c.slug === slug)!.accepted !== false) !== (slug === 'coupons-retail')).length;
  if (afterSame.length - beforeSame !== expectedChanges) problems.push(`100 identical submissions wrote ${afterSame.length - beforeSame} events, expected ${expectedChanges}`);
  process.stdout.write(`concurrency check: 200 conflicting + 100 identical submissions for one code -> ${history.length + afterSame.length - beforeSame} events, chain ${problems.length === 0 ? 'unbroken' : 'BROKEN'}\n`);
  return problems;
}

/** The embedded servers' process ids (none when DATABASE_URL / REDIS_URL point elsewhere). */
function embeddedPostmaster(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function embeddedRedisPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'redis', 'mailpref-redis.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }).pid : undefined;
}

/** `mailpref serve` as its own process (the compiled build, as `npm run mailpref -- serve` runs it). */
async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  // BENCH_SERVER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=prof`, profiles the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, projectPath('dist/src/cli.js'), 'serve'], {
    env: { ...process.env, ...env },
    // Request logs go nowhere, but the server still formats and writes every line (LOG_LEVEL info).
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mailpref serve exited with ${child.exitCode}`);
    const healthy = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (healthy) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  throw new Error('mailpref serve did not answer /healthz within 60 s');
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-bench-'));
  const stops: (() => Promise<void> | void)[] = [async () => fs.rmSync(dataDir, { recursive: true, force: true })];
  try {
    const logger = createLogger('warn');
    // This process owns the servers; `mailpref serve` gets their URLs, like a production web tier.
    const { databaseUrl, redisUrl } = await startBackingServers(loadConfig({ ...process.env, DATA_DIR: dataDir }), logger, stops);
    const port = await freePort();
    const serverEnv = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `bench-${process.pid}`,
      LOAD_SAMPLE_DATA: 'false',
      // One client address drives every request: the per-IP limit would stop it at once.
      FORM_ATTEMPTS_PER_IP: '1000000000',
      FORM_FAILED_ATTEMPTS_PER_CODE: '1000000000',
      WEB_PROCESSES: process.env.BENCH_WEB_PROCESSES ?? process.env.WEB_PROCESSES ?? '1',
    };
    const root = await createRoot(loadConfig({ ...process.env, ...serverEnv, PORT: '0' }), { logger });
    stops.push(() => root.stop());
    const server = await startServer(serverEnv, port);
    stops.push(() => stopServer(server));
    const postmaster = embeddedPostmaster(dataDir);
    const redisPid = embeddedRedisPid(dataDir);
    measured = {
      web: () => processTree(server.pid!),
      servers: () => [...(postmaster ? processTree(postmaster) : []), ...(redisPid ? [redisPid] : [])],
    };
    const base = `http://127.0.0.1:${port}`;

    const households: { code: string; zip: string; deliveryPointId: number }[] = [];
    for (let i = 0; i < HOUSEHOLDS; i++) {
      const zip = String(10000 + i);
      const recorded = await root.services.choices.recordChoices({ address: { address1: `${i + 1} Bench St`, zip }, choices: {}, source: 'operator', actor: 'bench' });
      const issued = await root.services.accessCodes.issue(recorded.deliveryPointId);
      households.push({ code: issued.code, zip, deliveryPointId: recorded.deliveryPointId });
    }
    const sessions = await Promise.all(households.map((household) => signIn(base, household.code, household.zip)));
    const visitor = await visit(base);

    const results = [];
    // The ceiling: what node:http answering "ok" reaches here, in a process of its own like the server.
    const barePort = await freePort();
    const bare = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${barePort}, '127.0.0.1')`], { stdio: 'ignore' });
    stops.push(() => stopServer(bare));
    while (!(await fetch(`http://127.0.0.1:${barePort}/`).then((r) => r.ok, () => false))) await new Promise((resolve) => setTimeout(resolve, 100));
    const measuredServer = measured;
    measured = { web: () => [bare.pid!], servers: () => [] };
    const ceiling = await run('bare node:http "ok" (ceiling)', { url: `http://127.0.0.1:${barePort}/` });
    measured = measuredServer;
    await stopServer(bare);
    results.push(await run('GET /healthz (baseline: db + redis)', { url: `${base}/healthz` }));
    results.push(await run('GET /privacy (a page, no database)', { url: `${base}/privacy` }));
    let entry = 0;
    results.push(
      await run('POST /code (code entry)', {
        url: `${base}/code`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.cookie },
        requests: [
          {
            setupRequest: (req: autocannon.Request) => {
              const household = households[entry++ % households.length]!;
              return { ...req, body: new URLSearchParams({ _csrf: visitor.csrf, code: household.code, zip: household.zip }).toString() };
            },
          },
        ],
      }),
    );
    let submit = 0;
    results.push(
      await run('POST /confirm (submit choices)', {
        url: `${base}/confirm`,
        method: 'POST',
        requests: [
          {
            setupRequest: (req: autocannon.Request) => {
              const n = submit++;
              const session = sessions[n % sessions.length]!;
              // Alternate between two sets so that every submission really writes events.
              const accepted = Math.floor(n / sessions.length) % 2 === 0 ? ['catalogs', 'other'] : ['political'];
              return { ...req, headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie }, body: confirmBody(session.csrf, accepted) };
            },
          },
        ],
      }),
    );

    const baseline = results[0]!;
    results.unshift(ceiling);
    process.stdout.write(
      `\n${SECONDS}s per run, ${CONNECTIONS} connections, ${HOUSEHOLDS} households; mailpref serve with WEB_PROCESSES=${serverEnv.WEB_PROCESSES}, LOG_LEVEL=${serverEnv.LOG_LEVEL}; load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`,
    );
    process.stdout.write(
      `${'endpoint'.padEnd(36)}${'req/s'.padStart(9)}${'p99 ms'.padStart(9)}${'vs baseline'.padStart(13)}${'CPU ms/req: web'.padStart(17)}${'pg+redis'.padStart(10)}${'autocannon'.padStart(12)}  responses as expected\n`,
    );
    for (const result of results) {
      process.stdout.write(
        `${result.name.padEnd(36)}${result.rps.toFixed(0).padStart(9)}${String(result.p99).padStart(9)}${(result.rps / baseline.rps).toFixed(2).padStart(12)}x` +
          `${result.webCpuMs.toFixed(2).padStart(17)}${result.serversCpuMs.toFixed(2).padStart(10)}${result.clientCpuMs.toFixed(2).padStart(12)}  ${result.expected}/${result.total}\n`,
      );
    }
    const problems = results.filter((result) => result.expected !== result.total).map((result) => `${result.name}: ${result.total - result.expected} unexpected responses`);
    problems.push(...(await checkConcurrentSubmissions(root, base, households[0]!.code, households[0]!.zip, households[0]!.deliveryPointId)));
    if (problems.length > 0) {
      process.stdout.write(`FAILED:\n  ${problems.join('\n  ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    while (stops.length > 0) await Promise.resolve(stops.pop()!()).catch((error: unknown) => process.stderr.write(`while stopping: ${String(error)}\n`));
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
