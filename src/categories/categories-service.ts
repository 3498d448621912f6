import { BadRequestError, NotFoundError } from '../lib/errors';
import type { CategoriesStore, Category } from './categories-store';

export class CategoriesService {
  constructor(private readonly store: CategoriesStore) {}

  listActive(): Promise<Category[]> {
    return this.store.listActive();
  }

  listAll(): Promise<Category[]> {
    return this.store.listAll();
  }

  /** The category a list is cleansed for: it must exist and not be retired. */
  async requireActive(slug: string): Promise<Category> {
    const category = await this.store.findBySlug(slug);
    if (!category) throw new NotFoundError(`Unknown category "${slug}"`, 'UNKNOWN_CATEGORY');
    if (!category.active) throw new BadRequestError(`Category "${slug}" is retired`, undefined, 'RETIRED_CATEGORY');
    return category;
  }
}
