import { Router, type Request } from 'express';
import { AppError, BadRequestError } from '../lib/errors';
import { html } from '../web/html';
import type { Category } from './categories-store';
import type { CategoriesService } from './categories-service';
import { consolePage, csrfField, errorAlert } from '../operator/console-layout';
import { idParam } from '../operator/route-helpers';
import { actorOf } from '../operator/operator-auth';

function page(req: Request, categories: Category[], error?: string, values: Record<string, string> = {}): string {
  return consolePage(
    req,
    'categories',
    'Categories',
    html`<h1>Categories</h1>
      <p class="usa-intro">Retiring a category hides it from households and mailers; every choice made for it stays on record, and it can be restored.</p>
      ${errorAlert(error)}
      <div class="mp-table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)"><table class="usa-table usa-table--striped">
        <caption>Every category</caption>
        <thead><tr><th scope="col">Short name</th><th scope="col">Name and description</th><th scope="col">State</th><th scope="col"><span class="usa-sr-only">Actions</span></th></tr></thead>
        <tbody>${categories.map(
          (category) => html`<tr>
            <th scope="row"><code>${category.slug}</code></th>
            <td><form method="post" action="/operator/categories/${category.id}/rename">${csrfField(req)}
              <label class="usa-label margin-top-0" for="name-${category.id}">Name</label>
              <input class="usa-input" id="name-${category.id}" name="name" value="${category.name}" required>
              <label class="usa-label" for="description-${category.id}">Description</label>
              <textarea class="usa-textarea" id="description-${category.id}" name="description" rows="2">${category.description}</textarea>
              <button class="usa-button usa-button--outline margin-top-1" type="submit">Rename<span class="usa-sr-only"> ${category.slug}</span></button></form></td>
            <td>${category.active ? 'active' : html`<span class="usa-tag">retired</span>`}</td>
            <td><form method="post" action="/operator/categories/${category.id}/${category.active ? 'retire' : 'restore'}">${csrfField(req)}
              <button class="usa-button ${category.active ? 'usa-button--secondary' : ''}" type="submit">${category.active ? 'Retire' : 'Restore'}<span class="usa-sr-only"> ${category.slug}</span></button></form></td>
          </tr>`,
        )}</tbody></table></div>
      <h2>Add a category</h2>
      <form class="usa-form usa-form--large" method="post" action="/operator/categories">${csrfField(req)}
        <label class="usa-label" for="new-slug">Short name</label>
        <span class="usa-hint" id="new-slug-hint">Used by mailers' lists and the API; it cannot change later. Lowercase letters, digits and hyphens.</span>
        <input class="usa-input" id="new-slug" name="slug" required aria-describedby="new-slug-hint" value="${values.slug ?? ''}">
        <label class="usa-label" for="new-name">Name</label>
        <input class="usa-input" id="new-name" name="name" required value="${values.name ?? ''}">
        <label class="usa-label" for="new-description">Description</label>
        <textarea class="usa-textarea" id="new-description" name="description" rows="2">${values.description ?? ''}</textarea>
        <button class="usa-button" type="submit">Add category</button>
      </form>`,
  );
}

export function categoriesConsoleRoutes(categories: CategoriesService): Router {
  const router = Router();
  const id = (req: Request) => idParam(req, 'a category id');

  router.get('/operator/categories', async (req, res) => {
    res.send(page(req, await categories.listAll()));
  });

  router.post('/operator/categories', async (req, res) => {
    try {
      await categories.add(req.body as Record<string, unknown>, actorOf(req));
      res.redirect(303, '/operator/categories?notice=category-saved');
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      res.status(error.statusCode).send(page(req, await categories.listAll(), error.message, req.body as Record<string, string>));
    }
  });

  router.post('/operator/categories/:id/rename', async (req, res) => {
    try {
      await categories.rename(id(req), req.body as Record<string, unknown>, actorOf(req));
      res.redirect(303, '/operator/categories?notice=category-saved');
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      res.status(400).send(page(req, await categories.listAll(), error.message));
    }
  });

  router.post('/operator/categories/:id/retire', async (req, res) => {
    await categories.setActive(id(req), false, actorOf(req));
    res.redirect(303, '/operator/categories?notice=category-retired');
  });

  router.post('/operator/categories/:id/restore', async (req, res) => {
    await categories.setActive(id(req), true, actorOf(req));
    res.redirect(303, '/operator/categories?notice=category-restored');
  });

  return router;
}
