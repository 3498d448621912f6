import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/lib/db';
import { createLogger } from '../../src/lib/logger';
import { createRoot, type Root } from '../../src/root';

export interface TestRoot extends Root {
  /** The database this test file owns (a copy of the migrated template). */
  databaseName: string;
  /** Stops the root, obliterates this test's queues and drops its database. */
  cleanup(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (test/support/global-setup.ts)`);
  return value;
}

/** A fresh database copied from the template and a queue prefix of its own. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const adminUrl = required('TEST_DATABASE_URL');
  const name = `mailpref_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name, required('MAILPREF_TEST_TEMPLATE'));
  return { name, url: withDatabase(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-data-'));
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: required('REDIS_URL'),
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `test-${randomBytes(6).toString('hex')}`,
    LOAD_SAMPLE_DATA: 'false',
    ...overrides,
  });
}

export async function createTestRoot(overrides: Record<string, string> = {}): Promise<TestRoot> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...overrides });
  const root = await createRoot(config, { logger: createLogger((process.env.TEST_LOG_LEVEL as 'error') ?? 'silent'), migrate: false });
  return Object.assign(root, {
    databaseName: database.name,
    async cleanup() {
      for (const queue of root.queues.allQueues()) await queue.obliterate({ force: true }).catch(() => undefined);
      await root.stop();
      await database.drop();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  });
}
