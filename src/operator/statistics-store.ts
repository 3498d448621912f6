import type { Queryable } from '../lib/db';

export interface CategoryFigures {
  slug: string;
  name: string;
  active: boolean;
}

export interface StatisticsFigures {
  categories: { total: number; active: number; retired: number; list: CategoryFigures[] };
}

export interface StatisticsSnapshot {
  id: number;
  takenAt: Date;
  figures: StatisticsFigures;
}

export class StatisticsStore {
  constructor(private readonly db: Queryable) {}

  async categoryFigures(): Promise<CategoryFigures[]> {
    const { rows } = await this.db.query<CategoryFigures & Record<string, unknown>>(
      'SELECT slug, name, active FROM categories ORDER BY sort_order, name',
    );
    return rows;
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
