import { Router } from 'express';
import { AppError } from '../lib/errors';
import { html } from '../web/html';
import { layout } from '../web/layout';
import type { CategoriesService } from './categories-service';

/** Public: the category catalogue as a page and as JSON. */
export function categoriesRoutes(categories: CategoriesService): Router {
  const router = Router();

  router.get('/categories', async (_req, res) => {
    const list = await categories.listActive();
    res.send(
      layout({
        title: 'Categories of advertising mail',
        body: html`<h1>Categories of advertising mail</h1>
          <p class="usa-intro">You can choose, for each of these kinds of advertising mail, whether you want to receive it at your address.
          Letters, bills, parcels and all other first-class mail are always delivered.</p>
          <dl class="mp-category-list">
            ${list.map((category) => html`<dt>${category.name}</dt><dd>${category.description}</dd>`)}
          </dl>`,
      }),
    );
  });

  router.get('/api/v1/categories', async (req, res) => {
    if (!req.accepts('json')) throw new AppError(406, 'NOT_ACCEPTABLE', 'The categories are served as JSON only: send `Accept: application/json`');
    const list = await categories.listActive();
    res.json({ categories: list.map(({ slug, name, description }) => ({ slug, name, description })) });
  });

  return router;
}
