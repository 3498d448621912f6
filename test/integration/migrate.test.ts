import { randomBytes } from 'node:crypto';
import { Db, dropDatabase, ensureDatabase, withDatabase } from '../../src/lib/db';
import { listMigrationFiles, migrate } from '../../src/lib/migrate';

describe('migration runner', () => {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  let name: string;
  let dbs: Db[] = [];

  beforeEach(async () => {
    name = `mailpref_migrate_${randomBytes(5).toString('hex')}`;
    await ensureDatabase(adminUrl, name); // empty: no template
  });

  afterEach(async () => {
    await Promise.all(dbs.map((db) => db.close()));
    dbs = [];
    await dropDatabase(adminUrl, name);
  });

  function connect(): Db {
    const db = new Db(withDatabase(adminUrl, name), { max: 2 });
    dbs.push(db);
    return db;
  }

  it('applies every migration once, in order, and is a no-op the second time', async () => {
    const files = await listMigrationFiles();
    const db = connect();
    const first = await migrate(db);
    expect(first.applied).toEqual(files);
    const second = await migrate(db);
    expect(second).toEqual({ applied: [], alreadyApplied: files.length });
    const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((row) => row.name)).toEqual(files);
  });

  it('is safe when several processes start at the same time', async () => {
    const files = await listMigrationFiles();
    const results = await Promise.all([connect(), connect(), connect()].map((db) => migrate(db)));
    const appliedByAll = results.flatMap((result) => result.applied).sort();
    expect(appliedByAll).toEqual(files); // each file applied by exactly one of them
    const { rows } = await connect().query<{ count: number }>('SELECT count(*) AS count FROM categories');
    expect(rows[0]!.count).toBe(7);
  });

  it('seeds the category catalogue', async () => {
    const db = connect();
    await migrate(db);
    const { rows } = await db.query<{ slug: string }>('SELECT slug FROM categories WHERE active ORDER BY sort_order');
    expect(rows.map((row) => row.slug)).toEqual([
      'catalogs',
      'credit-insurance-offers',
      'coupons-retail',
      'magazines-subscriptions',
      'charity-nonprofit',
      'political',
      'other',
    ]);
  });
});
