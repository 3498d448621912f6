import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../src/lib/free-port';
import { alive, forkedProcessesOf, startMailpref } from '../support/forked-processes';
import { createTestDatabase } from '../support/test-root';


interface Answer {
  status: number;
  body: string;
  cookies: string[];
}

/** One request on a connection of its own, so that the cluster hands each to the next process. */
function send(port: number, method: string, route: string, options: { cookie?: string; form?: Record<string, string> } = {}): Promise<Answer> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: route,
        agent: false,
        headers: {
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text, cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('mailpref serve with WEB_PROCESSES=2 (real PostgreSQL and Redis)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: ChildProcess;
  let port: number;
  let output: () => string;

  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
    ({ child: server, output } = await startMailpref(
      'serve',
      {
        DATABASE_URL: database.url,
        REDIS_URL: process.env.REDIS_URL!,
        PORT: String(port),
        LOG_LEVEL: 'info',
        SESSION_SECRET: randomBytes(32).toString('hex'),
        QUEUE_PREFIX: `test-${randomBytes(6).toString('hex')}`,
        FORM_ATTEMPTS_PER_IP: '3',
        WEB_PROCESSES: '2',
      },
      'web processes listening',
    ));
  }, 90_000);

  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    await database.drop();
  });

  it('answers from two processes that share rate limits and CSRF, and stops them all on SIGTERM', async () => {
    const workers = forkedProcessesOf(server.pid!, 'serve').map((each) => each.pid);
    expect(workers).toHaveLength(2);

    // A form fetched from one process is accepted by the others (the CSRF key is the shared secret)…
    const page = await send(port, 'GET', '/code');
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await send(port, 'POST', '/code', { cookie: page.cookies.join('; '), form: { _csrf: csrf, code: 'ZZZZZ-ZZZZZ', zip: '02134' } });
      statuses.push(answer.status);
    }
    // …and the per-IP limit (3) counts attempts across both processes: the fourth is refused.
    expect(statuses).toEqual([422, 422, 422, 429]);
    // Both processes answered (request logs are written in batches, at least once a second).
    const answeredBy = () =>
      [
        ...new Set(
          output()
            .split('\n')
            .filter((line) => line.includes('"request completed"'))
            .map((line) => (JSON.parse(line) as { pid: number }).pid),
        ),
      ].sort();
    const deadline = Date.now() + 5_000;
    while (answeredBy().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answeredBy()).toEqual([...workers].sort());

    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
  }, 60_000);
});
