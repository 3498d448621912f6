import { Router } from 'express';
import { AppError } from '../lib/errors';
import type { CategoriesService } from './categories-service';

/** Public: the category catalogue as JSON (the household pages show it at /categories, in both languages). */
export function categoriesRoutes(categories: CategoriesService): Router {
  const router = Router();

  router.get('/api/v1/categories', async (req, res) => {
    if (!req.accepts('json')) throw new AppError(406, 'NOT_ACCEPTABLE', 'The categories are served as JSON only: send `Accept: application/json`');
    const list = await categories.listActive();
    res.json({ categories: list.map(({ slug, name, description }) => ({ slug, name, description })) });
  });

  return router;
}
