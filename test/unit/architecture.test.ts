import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../src/lib/project-path';

/** Every .ts file under src/, as paths relative to the project (src/…). */
function sourceFiles(dir = projectPath('src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(projectPath(), full)] : [];
  });
}

// docs/architecture.md: each table has one owner, and only its store writes it (others call its service).
const TABLE_WRITERS: Record<string, string> = {
  access_codes: 'src/choices/access-codes-store.ts',
  api_keys: 'src/mailers/mailers-store.ts',
  card_import_rows: 'src/choices/card-imports-store.ts',
  card_imports: 'src/choices/card-imports-store.ts',
  categories: 'src/categories/categories-store.ts',
  delivery_points: 'src/choices/preferences-store.ts',
  job_runs: 'src/schedules/job-runs-store.ts',
  list_jobs: 'src/lists/lists-store.ts',
  list_webhook_deliveries: 'src/lists/webhooks/webhook-deliveries-store.ts',
  mailer_sessions: 'src/mailers/mailer-sessions-store.ts',
  mailer_webhooks: 'src/mailers/webhook-settings-store.ts',
  mailers: 'src/mailers/mailers-store.ts',
  move_imports: 'src/moves/moves-store.ts',
  moves: 'src/moves/moves-store.ts',
  operator_audit: 'src/audit/audit-store.ts',
  operator_sessions: 'src/operator/operators-store.ts',
  operators: 'src/operator/operators-store.ts',
  postcard_batches: 'src/choices/access-codes-store.ts',
  postcard_requests: 'src/choices/postcard-requests-store.ts',
  preference_events: 'src/choices/preferences-store.ts',
  preferences: 'src/choices/preferences-store.ts',
  store_loads: 'src/choices/store-load-store.ts',
  schedules: 'src/schedules/schedules-store.ts',
  schema_migrations: 'src/lib/migrate.ts',
  statistics_snapshots: 'src/statistics/statistics-store.ts',
};

describe('the house', () => {
  it('has one writer per table: the owning feature store', () => {
    const writers: Record<string, string[]> = {};
    for (const file of sourceFiles()) {
      const text = fs.readFileSync(projectPath(file), 'utf8');
      for (const match of text.matchAll(/\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_]+)\b/g)) {
        const table = match[1]!;
        writers[table] ??= [];
        if (!writers[table].includes(file)) writers[table].push(file);
      }
    }
    expect(Object.fromEntries(Object.entries(writers).map(([table, files]) => [table, files.sort().join(', ')]))).toEqual(TABLE_WRITERS);
  });

  it('is wired in one place: only process start-up imports the composition root', () => {
    // src/root.ts creates every service; src/start/ (and src/cli-program.ts, the CLI's command tree) start processes from it.
    const startUp = (file: string) => file === 'src/root.ts' || file === 'src/cli.ts' || file === 'src/cli-program.ts' || file.startsWith('src/start/');
    const importers = sourceFiles().filter((file) => {
      const text = fs.readFileSync(projectPath(file), 'utf8');
      return [...text.matchAll(/from '([^']+)'/g)].some(([, spec]) => {
        if (!spec!.startsWith('.')) return false;
        const target = path.relative(projectPath(), path.resolve(path.dirname(projectPath(file)), spec!));
        return target === 'src/root' || target === 'src/main' || target === 'src/start/cli-root';
      });
    });
    expect(importers.filter((file) => !startUp(file))).toEqual([]);
    expect(importers.length).toBeGreaterThan(0);
  });
});
