import { Router, type Request } from 'express';
import { AppError, BadRequestError } from '../lib/errors';
import { html } from '../web/html';
import { tableRegion } from '../web/table-region';
import { errorSummary, problemsOf, type FieldError } from '../web/error-summary';
import { fieldParts } from '../web/form-field';
import type { Category } from './categories-store';
import type { CategoriesService } from './categories-service';
import { consolePage, csrfField } from '../operator/console-layout';
import { idParam } from '../operator/route-helpers';
import { actorOf } from '../operator/operator-auth';

function textFields(prefix: string, values: Record<string, string>, errors: FieldError[], withSlug: boolean) {
  const slug = fieldParts(`${prefix}slug`, 'Short name', errors, "Used by mailers' lists and the API; it cannot change later. Lowercase letters, digits and hyphens.");
  const name = fieldParts(`${prefix}name`, 'Name', errors);
  const description = fieldParts(`${prefix}description`, 'Description', errors, 'One sentence households read beside the name.');
  const invalid = (part: { error?: FieldError }) => (part.error ? ' usa-input--error' : '');
  return html`${withSlug
      ? html`<div class="${slug.group}">${slug.label}<input class="usa-input${invalid(slug)}" id="${prefix}slug" name="slug" value="${values.slug ?? ''}"${slug.aria}></div>`
      : ''}
    <div class="${name.group}">${name.label}<input class="usa-input${invalid(name)}" id="${prefix}name" name="name" value="${values.name ?? ''}"${name.aria}></div>
    <div class="${description.group}">${description.label}<textarea class="usa-textarea${invalid(description)}" id="${prefix}description" name="description" rows="2"${description.aria}>${values.description ?? ''}</textarea></div>`;
}

/** Every category in one compact table; each is edited, retired or restored on its own page. */
function listPage(req: Request, categories: Category[], errors: FieldError[] = [], values: Record<string, string> = {}): string {
  return consolePage(
    req,
    'categories',
    errors.length ? 'Error: Categories' : 'Categories',
    html`<h1>Categories</h1>
      <p class="usa-intro">Retiring a category hides it from households and mailers; every choice made for it stays on record, and it can be restored.</p>
      ${tableRegion(
        'Every category',
        html`<table class="usa-table usa-table--striped usa-table--compact mp-categories">
          <caption>Every category</caption>
          <thead><tr><th scope="col">Short name</th><th scope="col">Name and description</th><th scope="col">State</th><th scope="col"><span class="usa-sr-only">Actions</span></th></tr></thead>
          <tbody>${categories.map(
            (category) => html`<tr>
              <th scope="row"><code>${category.slug}</code></th>
              <td><strong>${category.name}</strong><br><span class="mp-muted">${category.description}</span></td>
              <td>${category.active ? 'active' : html`<span class="usa-tag">retired</span>`}</td>
              <td><a class="usa-link" href="/operator/categories/${category.id}">Edit<span class="usa-sr-only"> ${category.name}</span></a></td>
            </tr>`,
          )}</tbody></table>`,
      )}
      <h2>Add a category</h2>
      ${errorSummary('There is a problem', errors)}
      <form class="usa-form usa-form--large" method="post" action="/operator/categories" novalidate>${csrfField(req)}
        ${textFields('new-', values, errors, true)}
        <button class="usa-button" type="submit">Add category</button>
      </form>`,
  );
}

function editPage(req: Request, category: Category, errors: FieldError[] = [], values?: Record<string, string>): string {
  return consolePage(
    req,
    'categories',
    `${errors.length ? 'Error: ' : ''}Category ${category.name}`,
    html`<h1>Category ${category.name}</h1>
      <p><a class="usa-link" href="/operator/categories">All categories</a></p>
      <p>Short name <code>${category.slug}</code>; ${category.active ? 'active' : html`<span class="usa-tag">retired</span>`}.</p>
      ${errorSummary('There is a problem', errors)}
      <form class="usa-form usa-form--large" method="post" action="/operator/categories/${category.id}/rename" novalidate>${csrfField(req)}
        ${textFields('', values ?? { name: category.name, description: category.description }, errors, false)}
        <button class="usa-button" type="submit">Save</button>
      </form>
      <h2>${category.active ? 'Retire' : 'Restore'}</h2>
      ${category.active
        ? html`<p>Households and mailers stop seeing it; its history stays.</p>
          <a class="usa-button usa-button--secondary" href="/operator/categories/${category.id}/retire">Retire ${category.name}…</a>`
        : html`<form method="post" action="/operator/categories/${category.id}/restore">${csrfField(req)}
          <button class="usa-button" type="submit">Restore ${category.name}</button></form>`}`,
  );
}

/** Retiring changes what every household and mailer sees, so it is confirmed on a page of its own. */
function retirePage(req: Request, category: Category): string {
  return consolePage(
    req,
    'categories',
    `Retire ${category.name}`,
    html`<h1>Retire ${category.name}?</h1>
      <p class="usa-intro">Households will no longer see it on the choices page, mailers can no longer cleanse lists for it, and it leaves the dashboard's chart. Every choice made for it stays on record, and you can restore it later.</p>
      <form class="mp-inline-form" method="post" action="/operator/categories/${category.id}/retire">${csrfField(req)}
        <button class="usa-button usa-button--secondary" type="submit">Retire ${category.name}</button></form>
      <a class="usa-button usa-button--outline mp-inline-form" href="/operator/categories/${category.id}">Keep it</a>`,
  );
}

export function categoriesConsoleRoutes(admin: CategoriesService): Router {
  const router = Router();
  const id = (req: Request) => idParam(req, 'category');

  router.get('/operator/categories', async (req, res) => {
    res.send(listPage(req, await admin.listAll()));
  });

  router.post('/operator/categories', async (req, res) => {
    try {
      await admin.add(req.body as Record<string, unknown>, actorOf(req));
      res.redirect(303, '/operator/categories?notice=category-saved');
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      res.status(error.statusCode).send(listPage(req, await admin.listAll(), problemsOf(error, 'slug', 'new-'), req.body as Record<string, string>));
    }
  });

  router.get('/operator/categories/:id', async (req, res) => {
    res.send(editPage(req, await admin.get(id(req))));
  });

  router.post('/operator/categories/:id/rename', async (req, res) => {
    const category = await admin.get(id(req));
    try {
      await admin.rename(category.id, req.body as Record<string, unknown>, actorOf(req));
      res.redirect(303, `/operator/categories/${category.id}?notice=category-saved`);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      res.status(400).send(editPage(req, category, problemsOf(error, 'name'), req.body as Record<string, string>));
    }
  });

  router.get('/operator/categories/:id/retire', async (req, res) => {
    res.send(retirePage(req, await admin.get(id(req))));
  });

  router.post('/operator/categories/:id/retire', async (req, res) => {
    const category = await admin.setActive(id(req), false, actorOf(req));
    res.redirect(303, `/operator/categories/${category.id}?notice=category-retired`);
  });

  router.post('/operator/categories/:id/restore', async (req, res) => {
    const category = await admin.setActive(id(req), true, actorOf(req));
    res.redirect(303, `/operator/categories/${category.id}?notice=category-restored`);
  });

  return router;
}
