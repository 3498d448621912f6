import type { Queryable } from '../lib/db';

export interface CategoryFigures {
  slug: string;
  name: string;
  active: boolean;
  /** Households that refused this category (an explicit choice). */
  refusing?: number;
  /** Households that accept it: every known household without a refusal (no answer means accepts). */
  accepting?: number;
}

export interface ListFigures {
  /** List jobs completed, ever and in the 24 hours before the snapshot. */
  cleansed: number;
  cleansedLastDay: number;
  rowsProcessed: number;
  /** Rows removed from cleansed lists because the household refused the category: pieces not mailed. */
  piecesSuppressed: number;
}

export interface StatisticsFigures {
  categories: { total: number; active: number; retired: number; list: CategoryFigures[] };
  /** Known delivery points (households); absent in snapshots taken before this was recorded. */
  households?: number;
  /** Null while the list-cleansing tables are not installed. */
  lists?: ListFigures | null;
}

export interface StatisticsSnapshot {
  id: number;
  takenAt: Date;
  figures: StatisticsFigures;
}

export class StatisticsStore {
  constructor(private readonly db: Queryable) {}

  async categoryFigures(): Promise<CategoryFigures[]> {
    const { rows } = await this.db.query<{ slug: string; name: string; active: boolean; refusing: number; households: number }>(
      `SELECT c.slug, c.name, c.active,
              (SELECT count(*) FROM preferences p WHERE p.category_id = c.id AND NOT p.accepted) AS refusing,
              (SELECT count(*) FROM delivery_points) AS households
         FROM categories c ORDER BY c.sort_order, c.name`,
    );
    return rows.map((row) => ({ slug: row.slug, name: row.name, active: row.active, refusing: row.refusing, accepting: row.households - row.refusing }));
  }

  async households(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM delivery_points');
    return rows[0]!.n;
  }

  /** Figures from list_jobs when the list-cleansing feature is installed; null otherwise. */
  async listFigures(now: Date): Promise<ListFigures | null> {
    const { rows: found } = await this.db.query<{ found: boolean }>(`SELECT to_regclass('list_jobs') IS NOT NULL AS found`);
    if (!found[0]!.found) return null;
    const { rows } = await this.db.query<{ cleansed: number; last_day: number; rows_processed: number; suppressed: number }>(
      `SELECT count(*) AS cleansed,
              count(*) FILTER (WHERE finished_at > $1::timestamptz - interval '1 day') AS last_day,
              coalesce(sum(rows_in), 0)::bigint AS rows_processed,
              coalesce(sum(coalesce((discards->>'OPTED_OUT')::bigint, 0)), 0)::bigint AS suppressed
         FROM list_jobs WHERE status = 'completed'`,
      [now],
    );
    const row = rows[0]!;
    return { cleansed: row.cleansed, cleansedLastDay: row.last_day, rowsProcessed: row.rows_processed, piecesSuppressed: row.suppressed };
  }

  async insert(figures: StatisticsFigures): Promise<StatisticsSnapshot> {
    const { rows } = await this.db.query<{ id: number; taken_at: Date }>(
      'INSERT INTO statistics_snapshots (figures) VALUES ($1::jsonb) RETURNING id, taken_at',
      [JSON.stringify(figures)],
    );
    return { id: rows[0]!.id, takenAt: rows[0]!.taken_at, figures };
  }

  async latest(limit: number): Promise<StatisticsSnapshot[]> {
    const { rows } = await this.db.query<{ id: number; taken_at: Date; figures: StatisticsFigures }>(
      'SELECT id, taken_at, figures FROM statistics_snapshots ORDER BY taken_at DESC, id DESC LIMIT $1::int',
      [limit],
    );
    return rows.map((row) => ({ id: row.id, takenAt: row.taken_at, figures: row.figures }));
  }
}
