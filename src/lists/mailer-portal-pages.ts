import type { Category } from '../categories/categories-store';
import { html, type SafeHtml } from '../web/html';
import { layout } from '../web/layout';
import type { MailerIdentity } from '../mailers/mailers-service';
import { reportBody } from './list-report-page';
import type { ListJob } from './lists-store';
import { formatBytes } from './lists-service';
import { listView } from './list-view';

const SERVICE = 'mailpref for bulk mailers';

export function portalPage(title: string, body: SafeHtml, mailer: MailerIdentity | undefined, csrf: string, current?: string): string {
  return layout({
    title,
    body,
    serviceName: SERVICE,
    homeHref: '/mailer',
    nav: mailer ? [{ href: '/mailer', label: 'Your lists', current: current === 'lists' }] : [],
    headerExtra: mailer
      ? html`<form class="mp-signout" method="post" action="/mailer/sign-out">
          <span>Signed in as <strong>${mailer.mailerName}</strong></span>
          <input type="hidden" name="_csrf" value="${csrf}">
          <button class="usa-button usa-button--unstyled" type="submit">Sign out</button>
        </form>`
      : undefined,
  });
}

export function signInPage(csrf: string, error?: string): string {
  return portalPage(
    'Sign in',
    html`<h1>Cleanse a mailing list</h1>
      <p class="usa-intro">Upload a list for a category of advertising mail; every address whose household refused that category is removed, and you get the cleansed list, a discard report and a processing summary.</p>
      <form class="usa-form" method="post" action="/mailer/sign-in">
        <input type="hidden" name="_csrf" value="${csrf}">
        ${error ? html`<div class="usa-alert usa-alert--error usa-alert--slim" role="alert"><div class="usa-alert__body"><p class="usa-alert__text">${error}</p></div></div>` : ''}
        <label class="usa-label" for="api_key">API key</label>
        <span class="usa-hint" id="api_key-hint">The key you were given (it starts with <code>mp_</code>). Your operator creates it with <code>mailpref mailers create</code>.</span>
        <input class="usa-input" id="api_key" name="api_key" type="password" autocomplete="off" required aria-describedby="api_key-hint">
        <button class="usa-button" type="submit">Sign in</button>
      </form>`,
    undefined,
    csrf,
  );
}

function progressCell(job: ListJob): SafeHtml {
  const view = listView(job);
  if (job.status === 'completed') return html`${view.counts!.kept.toLocaleString('en-US')} kept of ${view.counts!.rowsIn.toLocaleString('en-US')}`;
  if (job.status === 'failed') return html`<span class="mp-outcome-failed">Failed</span>`;
  return html`<progress max="100" value="${view.progress.percent}" aria-label="Progress of ${job.listName}">${view.progress.percent}%</progress> ${view.progress.rowsProcessed.toLocaleString('en-US')} rows`;
}

export function dashboardPage(mailer: MailerIdentity, csrf: string, categories: Category[], jobs: ListJob[], maxUploadBytes: number): string {
  const running = jobs.some((job) => job.status === 'queued' || job.status === 'running');
  return portalPage(
    'Your lists',
    html`<h1>Your lists</h1>
      <h2>Upload a list</h2>
      <form class="usa-form usa-form--large" method="post" action="/mailer/lists?_csrf=${encodeURIComponent(csrf)}" enctype="multipart/form-data">
        <label class="usa-label" for="category">Category of the mailing</label>
        <select class="usa-select" id="category" name="category" required>
          ${categories.map((category) => html`<option value="${category.slug}">${category.name}</option>`)}
        </select>
        <label class="usa-label" for="file">List file</label>
        <span class="usa-hint" id="file-hint">CSV or TSV with a header row (address, city, state, ZIP columns), up to ${formatBytes(maxUploadBytes)}.</span>
        <input class="usa-file-input" id="file" name="file" type="file" accept=".csv,.tsv,.txt,text/csv" required aria-describedby="file-hint">
        <fieldset class="usa-fieldset">
          <legend class="usa-legend">What the cleansed file holds</legend>
          <div class="usa-radio"><input class="usa-radio__input" id="mode-suppress" type="radio" name="mode" value="suppress" checked><label class="usa-radio__label" for="mode-suppress">Only the rows you may mail, exactly as uploaded</label></div>
          <div class="usa-radio"><input class="usa-radio__input" id="mode-flag" type="radio" name="mode" value="flag"><label class="usa-radio__label" for="mode-flag">Every row, with a status and reason column added</label></div>
        </fieldset>
        <div class="usa-checkbox"><input class="usa-checkbox__input" id="dedupe" type="checkbox" name="dedupe" value="true"><label class="usa-checkbox__label" for="dedupe">Remove repeated rows for the same address</label></div>
        <div class="usa-checkbox"><input class="usa-checkbox__input" id="keep_unreadable" type="checkbox" name="keep_unreadable" value="true"><label class="usa-checkbox__label" for="keep_unreadable">Keep rows whose address cannot be read (flagged), instead of discarding them</label></div>
        <details class="margin-top-2">
          <summary>Column names (only if your headers are unusual)</summary>
          ${(['address1', 'address2', 'city', 'state', 'zip'] as const).map(
            (field) => html`<label class="usa-label" for="map_${field}">Header of the ${field} column</label><input class="usa-input" id="map_${field}" name="map_${field}" type="text">`,
          )}
        </details>
        <button class="usa-button" type="submit">Upload and cleanse</button>
      </form>
      <h2>Lists</h2>
      ${running ? html`<p><a class="usa-link" href="/mailer">Refresh</a> to see progress.</p>` : ''}
      ${jobs.length === 0
        ? html`<p>No lists yet.</p>`
        : html`<div class="mp-table-wrap"><table class="usa-table">
            <caption>Your lists, newest first</caption>
            <thead><tr><th scope="col">List</th><th scope="col">Category</th><th scope="col">Uploaded</th><th scope="col">Status</th><th scope="col">Progress</th></tr></thead>
            <tbody>
              ${jobs.map(
                (job) => html`<tr>
                  <th scope="row"><a class="usa-link" href="/mailer/lists/${job.id}">${job.listName}</a></th>
                  <td>${job.categoryName}</td>
                  <td>${job.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</td>
                  <td>${job.status}</td>
                  <td>${progressCell(job)}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`}`,
    mailer,
    csrf,
    'lists',
  );
}

export function listPage(mailer: MailerIdentity, csrf: string, job: ListJob): string {
  const base = `/mailer/lists/${job.id}`;
  let body: SafeHtml;
  if (job.status === 'completed' && job.summary) {
    body = html`${reportBody(job.summary, job.filesDeletedAt ? {} : { cleansed: `${base}/cleansed`, discards: `${base}/discards`, summary: `${base}/summary` })}
      ${job.filesDeletedAt
        ? html`<p>The files of this list were deleted on ${job.filesDeletedAt.toISOString().slice(0, 10)}; the summary is kept.</p>`
        : html`<form method="post" action="${base}/delete"><input type="hidden" name="_csrf" value="${csrf}"><button class="usa-button usa-button--secondary" type="submit">Delete the files now</button></form>`}`;
  } else if (job.status === 'failed') {
    body = html`<h1>${job.listName}</h1>
      <div class="usa-alert usa-alert--error" role="alert"><div class="usa-alert__body"><h2 class="usa-alert__heading">The list could not be cleansed</h2><p class="usa-alert__text">${job.error}</p></div></div>
      <p><a class="usa-link" href="/mailer">Back to your lists</a></p>`;
  } else {
    const view = listView(job);
    body = html`<h1>${job.listName}</h1>
      <p class="usa-intro">${job.status === 'queued' ? 'Waiting for a worker…' : 'Cleansing…'}</p>
      <p><label for="progress">Progress</label> <progress id="progress" max="100" value="${view.progress.percent}">${view.progress.percent}%</progress>
        ${view.progress.percent}% — ${view.progress.rowsProcessed.toLocaleString('en-US')} rows so far</p>
      <p><a class="usa-button" href="${base}">Refresh</a></p>`;
  }
  return portalPage(job.listName, body, mailer, csrf);
}
