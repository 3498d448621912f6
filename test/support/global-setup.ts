import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { staleSource } from '../../src/lib/compiled-build';
import { projectRoot } from '../../src/lib/project-path';
import { Db, ensureDatabase, withDatabase } from '../../src/lib/db';
import { startEmbeddedPostgres } from '../../src/lib/embedded-postgres';
import { startEmbeddedRedis } from '../../src/lib/embedded-redis';
import { createLogger } from '../../src/lib/logger';
import { migrate } from '../../src/lib/migrate';

/**
 * Once per `jest` run: a current build (dist/), real PostgreSQL and Redis (the embedded ones unless TEST_DATABASE_URL /
 * REDIS_URL are set), and a template database migrated once; each test file then copies it.
 */
export default async function globalSetup(): Promise<void> {
  // The tests run the command as users do, from dist/: `npm test` builds it first, and a run of
  // a few test files (`npx jest path`) after a change to src/ builds it here.
  if (staleSource() !== undefined) {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: projectRoot(), stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed: the tests run the compiled command');
  }
  const logger = createLogger('warn');
  const stops: (() => Promise<void>)[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-test-'));
  stops.push(async () => fs.rmSync(scratch, { recursive: true, force: true }));

  if (!process.env.TEST_DATABASE_URL) {
    const embedded = await startEmbeddedPostgres(scratch, 'postgres', logger);
    stops.push(embedded.stop);
    process.env.TEST_DATABASE_URL = embedded.url;
  }
  if (!process.env.REDIS_URL) {
    const embedded = await startEmbeddedRedis(scratch, logger);
    stops.push(embedded.stop);
    process.env.REDIS_URL = embedded.url;
  }

  const template = `mailpref_template_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(process.env.TEST_DATABASE_URL, template);
  const db = new Db(withDatabase(process.env.TEST_DATABASE_URL, template), { max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  process.env.MAILPREF_TEST_TEMPLATE = template;
  (globalThis as { __mailprefTestStops?: typeof stops }).__mailprefTestStops = stops;
}
