import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './db';
import { projectPath } from './project-path';

// Any fixed number works; it only has to be the same for every mailpref process.
const MIGRATION_LOCK_KEY = 7_402_191_001;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function listMigrationFiles(dir = projectPath('migrations')): Promise<string[]> {
  const names = await fs.readdir(dir);
  const files = names.filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  const seen = new Set<string>();
  for (const file of files) {
    const number = file.slice(0, 4);
    if (seen.has(number)) throw new Error(`Two migrations share the number ${number} in ${dir}`);
    seen.add(number);
  }
  return files;
}

/**
 * Applies the numbered SQL files in order, each in its own transaction together with its ledger
 * row. A session advisory lock serialises migrators: a second process starting at the same time
 * waits, then finds everything applied.
 */
export async function migrate(db: Db, dir = projectPath('migrations')): Promise<MigrationResult> {
  const files = await listMigrationFiles(dir);
  return db.withClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = new Set(
        (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name),
      );
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        const sql = await fs.readFile(path.join(dir, file), 'utf8');
        await client.query('BEGIN');
        try {
          await client.query('INSERT INTO schema_migrations (name) VALUES ($1::text)', [file]);
          await client.query(sql);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`Migration ${file} failed: ${(error as Error).message}`);
        }
        applied.push(file);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  });
}
