import type { Queryable } from '../lib/db';

export interface Category {
  id: number;
  slug: string;
  name: string;
  description: string;
  active: boolean;
}

const COLUMNS = 'id, slug, name, description, active';

export class CategoriesStore {
  constructor(private readonly db: Queryable) {}

  async listActive(): Promise<Category[]> {
    const { rows } = await this.db.query<Category & Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM categories WHERE active ORDER BY sort_order, name`,
    );
    return rows;
  }

  async listAll(): Promise<Category[]> {
    const { rows } = await this.db.query<Category & Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM categories ORDER BY active DESC, sort_order, name`,
    );
    return rows;
  }

  async findBySlug(slug: string): Promise<Category | undefined> {
    const { rows } = await this.db.query<Category & Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM categories WHERE slug = $1::text`,
      [slug],
    );
    return rows[0];
  }
}
