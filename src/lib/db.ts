import pg from 'pg';
import { ConfigError } from '../config';

// The one place that imports pg. Everything else goes through Db: query, withClient, withTransaction.

// int8 (bigint, count(*)) as a JS number: our counts stay far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));

export type Row = Record<string, unknown>;

/**
 * `prepare`: a name under which each connection keeps the statement parsed and planned after its
 * first use, for the few statements every household request runs (PostgreSQL then skips parsing
 * and, once it settles on a generic plan, planning). Only for statements whose plan does not
 * depend on their values; the name must be unique to the SQL text.
 */
export interface QueryOptions {
  prepare?: string;
}

export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: R[]; rowCount: number }>;
}

function config(sql: string, params: readonly unknown[], options: QueryOptions): pg.QueryConfig {
  return { text: sql, values: params as unknown[], ...(options.prepare ? { name: options.prepare } : {}) };
}

export type DbClient = Queryable & { raw: pg.PoolClient };

export class Db implements Queryable {
  private readonly pool: pg.Pool;

  constructor(readonly url: string, options: { max?: number; applicationName?: string } = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'mailpref',
      connectionTimeoutMillis: 5_000,
    });
    // An idle client losing its connection (server restart) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<{ rows: R[]; rowCount: number }> {
    const result = await this.pool.query<R>(config(sql, params, options));
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }

  async withClient<T>(fn: (client: DbClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(wrap(client));
    } finally {
      client.release();
    }
  }

  async withTransaction<T>(fn: (client: DbClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Fails with a one-line error naming the setting when the server cannot be reached. */
  async checkReachable(setting: string): Promise<void> {
    try {
      await this.query('SELECT 1');
    } catch (error) {
      throw new ConfigError(setting, `cannot connect to PostgreSQL at ${describeUrl(this.url)} (${describeError(error)})`);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function wrap(client: pg.PoolClient): DbClient {
  return {
    raw: client,
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}) {
      const result = await client.query<R>(config(sql, params, options));
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
  };
}

export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

/** Quotes an identifier (a database name) for the few DDL statements that cannot take parameters. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Creates a database on the server behind adminUrl unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1::text', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
