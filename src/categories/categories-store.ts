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

  async findById(id: number): Promise<Category | undefined> {
    const { rows } = await this.db.query<Category & Record<string, unknown>>(`SELECT ${COLUMNS} FROM categories WHERE id = $1::int`, [id]);
    return rows[0];
  }

  /** Undefined when the slug is taken. New categories sort after the existing ones. */
  async insert(change: CategoryChange): Promise<Category | undefined> {
    const { rows } = await this.db.query<Category & Record<string, unknown>>(
      `INSERT INTO categories (slug, name, description, sort_order)
       VALUES ($1::text, $2::text, $3::text, (SELECT coalesce(max(sort_order), 0) + 10 FROM categories))
       ON CONFLICT (slug) DO NOTHING RETURNING ${COLUMNS}`,
      [change.slug, change.name, change.description],
    );
    return rows[0];
  }

  /** Renames (name and description); the slug, which lists and history refer to, never changes. */
  async rename(id: number, name: string, description: string): Promise<Category | undefined> {
    const { rows } = await this.db.query<Category & Record<string, unknown>>(
      `UPDATE categories SET name = $2::text, description = $3::text, updated_at = now() WHERE id = $1::int RETURNING ${COLUMNS}`,
      [id, name, description],
    );
    return rows[0];
  }

  async setActive(id: number, active: boolean): Promise<Category | undefined> {
    const { rows } = await this.db.query<Category & Record<string, unknown>>(
      `UPDATE categories SET active = $2::boolean, updated_at = now() WHERE id = $1::int RETURNING ${COLUMNS}`,
      [id, active],
    );
    return rows[0];
  }
}

export interface CategoryChange {
  slug: string;
  name: string;
  description: string;
}
