import { Router, type Request } from 'express';
import { AppError } from '../lib/errors';
import { parseSerialId } from '../lib/ids';
import { idParam } from '../operator/route-helpers';
import { html, type SafeHtml } from '../web/html';
import { errorSummary, problemsOf, type FieldError } from '../web/error-summary';
import { fieldParts } from '../web/form-field';
import { consolePage, csrfField, errorAlert, formatTime } from '../operator/console-layout';
import type { MailersConsoleService } from './mailers-console-service';
import { actorOf } from '../operator/operator-auth';

function newKeyBox(apiKey: string | undefined): SafeHtml {
  if (!apiKey) return html``;
  return html`<div class="usa-alert usa-alert--warning" role="status"><div class="usa-alert__body">
    <h2 class="usa-alert__heading">The new API key — copy it now</h2>
    <p class="usa-alert__text">It is shown only this once; mailpref keeps only its hash. Give it to the mailer over a secure channel.</p>
    <p><code class="mp-api-key">${apiKey}</code></p>
  </div></div>`;
}

export function mailersConsoleRoutes(mailers: MailersConsoleService): Router {
  const router = Router();
  const idOf = (req: Request) => idParam(req, 'mailer');

  const listPage = async (req: Request, errors: FieldError[] = [], name = '') => {
    const nameField = fieldParts('mailer-name', 'Mailer name', errors);
    return consolePage(
      req,
      'mailers',
      errors.length ? 'Error: Mailers' : 'Mailers',
      html`<h1>Mailers</h1>
        <div class="mp-table-wrap" tabindex="0" role="region" aria-label="Bulk mailers and their live API keys"><table class="usa-table usa-table--striped mp-mailers">
          <caption>Bulk mailers and their live API keys</caption>
          <thead><tr><th scope="col">Mailer</th><th scope="col">State</th><th scope="col">Live keys</th><th scope="col">Since</th></tr></thead>
          <tbody>${(await mailers.list()).map(
            (mailer) => html`<tr><th scope="row"><a class="usa-link" href="/operator/mailers/${mailer.id}">${mailer.name}</a></th>
              <td>${mailer.active ? 'active' : 'disabled'}</td><td>${mailer.activeKeys}</td><td>${formatTime(mailer.createdAt)}</td></tr>`,
          )}</tbody></table></div>
        <h2>Add a mailer</h2>
        ${errorSummary('There is a problem', errors)}
        <form class="usa-form" method="post" action="/operator/mailers" novalidate>${csrfField(req)}
          <div class="${nameField.group}">${nameField.label}
            <input class="usa-input${nameField.error ? ' usa-input--error' : ''}" id="mailer-name" name="name" required maxlength="200" value="${name}"${nameField.aria}></div>
          <button class="usa-button" type="submit">Create mailer and its first API key</button>
        </form>`,
    );
  };

  const detailPage = async (req: Request, id: number, apiKey?: string, error?: string) => {
    const { mailer, keys, jobs } = await mailers.detail(id);
    return consolePage(
      req,
      'mailers',
      `Mailer ${mailer.name}`,
      html`<h1>Mailer ${mailer.name}</h1>
        ${errorAlert(error)}${newKeyBox(apiKey)}
        <h2>API keys</h2>
        <div class="mp-table-wrap" tabindex="0" role="region" aria-label="Keys of ${mailer.name} (only the prefix is shown)"><table class="usa-table usa-table--compact mp-keys">
          <caption>Keys of ${mailer.name} (only the prefix is shown)</caption>
          <thead><tr><th scope="col">Prefix</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead>
          <tbody>${keys.map(
            (key) => html`<tr><th scope="row"><code>mp_${key.prefix}_…</code></th><td>${formatTime(key.createdAt)}</td><td>${formatTime(key.lastUsedAt)}</td>
              <td>${key.revokedAt
                ? html`revoked ${formatTime(key.revokedAt)}`
                : html`<form method="post" action="/operator/mailers/${mailer.id}/keys/${key.prefix}/revoke">${csrfField(req)}
                    <button class="usa-button usa-button--secondary" type="submit">Revoke<span class="usa-sr-only"> key ${key.prefix}</span></button></form>`}</td></tr>`,
          )}</tbody></table></div>
        <form method="post" action="/operator/mailers/${mailer.id}/keys">${csrfField(req)}
          <button class="usa-button usa-button--outline" type="submit">Issue a new API key</button></form>
        <h2>Lists</h2>
        ${jobs.length === 0
          ? html`<p>No lists yet.</p>`
          : html`<div class="mp-table-wrap" tabindex="0" role="region" aria-label="Lists sent by ${mailer.name}, newest first"><table class="usa-table usa-table--striped usa-table--compact mp-mailer-jobs">
            <caption>Lists sent by ${mailer.name}, newest first</caption>
            <thead><tr><th scope="col">List</th><th scope="col">Category</th><th scope="col">Status</th><th scope="col">Rows in</th><th scope="col">Kept</th><th scope="col">Discarded</th><th scope="col">Uploaded</th><th scope="col">Finished</th></tr></thead>
            <tbody>${jobs.map(
              (job) => html`<tr><th scope="row">${job.listName}</th><td>${job.category}</td><td>${job.status}${job.error ? html`<br>${job.error}` : ''}${job.status === 'failed' && !job.filesDeleted
                ? html`<form method="post" action="/operator/lists/${job.id}/retry">${csrfField(req)}<input type="hidden" name="mailer" value="${mailer.id}">
                    <button class="usa-button usa-button--outline" type="submit">Run again<span class="usa-sr-only"> list ${job.listName}</span></button></form>`
                : ''}</td>
                <td>${job.rowsIn ?? '—'}</td><td>${job.rowsKept ?? '—'}</td><td>${job.rowsDiscarded ?? '—'}</td><td>${formatTime(job.createdAt)}</td><td>${formatTime(job.finishedAt)}</td></tr>`,
            )}</tbody></table></div>`}`,
    );
  };

  router.get('/operator/mailers', async (req, res) => {
    res.send(await listPage(req));
  });

  // The key is shown in this response only (never through a redirect URL or a stored flash).
  router.post('/operator/mailers', async (req, res) => {
    const name = String((req.body as { name?: unknown }).name ?? '');
    try {
      const created = await mailers.create(name, actorOf(req));
      res.status(201).send(await detailPage(req, created.id, created.apiKey));
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      res.status(error.statusCode).send(await listPage(req, problemsOf(error, 'mailer-name'), name));
    }
  });

  router.get('/operator/mailers/:id', async (req, res) => {
    res.send(await detailPage(req, idOf(req)));
  });

  router.post('/operator/mailers/:id/keys', async (req, res) => {
    const id = idOf(req);
    const apiKey = await mailers.issueKey(id, actorOf(req));
    res.status(201).send(await detailPage(req, id, apiKey));
  });

  router.post('/operator/mailers/:id/keys/:prefix/revoke', async (req, res) => {
    const id = idOf(req);
    await mailers.revokeKey(id, String(req.params.prefix), actorOf(req));
    res.redirect(303, `/operator/mailers/${id}`);
  });

  // A failed list run again from its upload, with its snapshot (ListsService.retry).
  router.post('/operator/lists/:id/retry', async (req, res) => {
    const from = parseSerialId((req.body as { mailer?: unknown }).mailer);
    try {
      const { mailerId } = await mailers.retryList(String(req.params.id), actorOf(req));
      res.redirect(303, `/operator/mailers/${mailerId}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500 || from === undefined) throw error;
      res.status(error.statusCode).send(await detailPage(req, from, undefined, error.message));
    }
  });

  return router;
}
