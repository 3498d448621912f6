import { BadRequestError, ConflictError, fieldsError, NotFoundError, type FieldProblem } from '../lib/errors';
import type { Actor, AuditService } from '../audit/audit-service';
import type { CategoriesStore, Category } from './categories-store';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A required text field, trimmed; its problem, if any, goes into `problems` (every field is checked). */
function required(value: unknown, field: string, label: string, max: number, problems: FieldProblem[]): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) problems.push({ field, message: `${label} is required` });
  else if (text.length > max) problems.push({ field, message: `${label} must be at most ${max} characters` });
  return text;
}

/**
 * The category catalogue: what households and lists choose from, and the console's add, rename,
 * retire and restore. Retiring hides a category from new choices and lists; its events stay.
 */
export class CategoriesService {
  constructor(
    private readonly store: CategoriesStore,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

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

  async get(id: number): Promise<Category> {
    const category = await this.store.findById(id);
    if (!category) throw new NotFoundError(`No category ${id}`, 'UNKNOWN_CATEGORY');
    return category;
  }

  async add(input: { slug?: unknown; name?: unknown; description?: unknown }, actor: Actor): Promise<Category> {
    const problems: FieldProblem[] = [];
    const slug = required(input.slug, 'slug', 'The short name', 60, problems).toLowerCase();
    if (slug && slug.length <= 60 && !SLUG.test(slug)) problems.push({ field: 'slug', message: 'The short name must be lowercase letters, digits and single hyphens, e.g. travel-offers' });
    const name = required(input.name, 'name', 'The name', 120, problems);
    if (problems.length) throw fieldsError(problems);
    const description = typeof input.description === 'string' ? input.description.trim().slice(0, 500) : '';
    const category = await this.store.insert({ slug, name, description });
    if (!category) throw new ConflictError(`A category "${slug}" already exists`, 'CATEGORY_EXISTS');
    await this.audit.record(actor, 'category.add', { type: 'category', id: slug }, { name, description });
    return category;
  }

  async rename(id: number, input: { name?: unknown; description?: unknown }, actor: Actor): Promise<Category> {
    const before = await this.get(id);
    const problems: FieldProblem[] = [];
    const name = required(input.name, 'name', 'The name', 120, problems);
    if (problems.length) throw fieldsError(problems);
    const description = typeof input.description === 'string' ? input.description.trim().slice(0, 500) : before.description;
    const category = (await this.store.rename(id, name, description))!;
    await this.audit.record(actor, 'category.rename', { type: 'category', id: before.slug }, { before: { name: before.name, description: before.description }, after: { name, description } });
    return category;
  }

  async setActive(id: number, active: boolean, actor: Actor): Promise<Category> {
    const before = await this.get(id);
    const category = (await this.store.setActive(id, active))!;
    await this.audit.record(actor, active ? 'category.restore' : 'category.retire', { type: 'category', id: before.slug });
    return category;
  }
}
