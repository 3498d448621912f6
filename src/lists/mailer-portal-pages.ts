import { html, type SafeHtml } from '../web/html';
import { layout } from '../web/layout';
import type { MailerIdentity } from '../mailers/mailers-service';
import { reportBody } from './list-report-page';
import type { ListJob } from './lists-store';
import { listView } from './list-view';

const SERVICE = 'mailpref for bulk mailers';

/** How often a page following lists in progress reloads itself. */
const REFRESH_SECONDS = 5;

export function portalPage(title: string, body: SafeHtml, mailer: MailerIdentity | undefined, csrf: string, current?: string, refreshSeconds?: number): string {
  return layout({
    title,
    body,
    serviceName: SERVICE,
    homeHref: '/mailer',
    refreshSeconds,
    nav: mailer
      ? [
          { href: '/mailer', label: 'Your lists', current: current === 'lists' },
          { href: '/mailer/upload', label: 'Upload a list', current: current === 'upload' },
        ]
      : [],
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

const inProgress = (job: ListJob) => job.status === 'queued' || job.status === 'running';

/**
 * While work is in progress the page reloads itself (no JavaScript needed), and says so with a
 * link that turns it off (WCAG 2.2.1: a screen reader user loses their place at each reload).
 */
function refreshNotice(path: string, autoRefresh: boolean): SafeHtml {
  return html`<p class="mp-refresh">${
    autoRefresh
      ? html`This page updates itself every ${REFRESH_SECONDS} seconds until the work is done. <a class="usa-link" href="${path}?refresh=off">Stop updating this page</a>`
      : html`<a class="usa-link" href="${path}">Update this page automatically</a>`
  } · <a class="usa-link" href="${path}${autoRefresh ? '' : '?refresh=off'}">Refresh now</a></p>`;
}

function failureReason(job: ListJob): string {
  return job.error ?? 'The job failed without a reason; please tell your operator.';
}

function progressCell(job: ListJob): SafeHtml {
  const view = listView(job);
  if (job.status === 'completed') return html`${view.counts!.kept.toLocaleString('en-US')} kept of ${view.counts!.rowsIn.toLocaleString('en-US')}`;
  if (job.status === 'failed') return html`<span class="mp-outcome-failed">Failed:</span> ${failureReason(job)}`;
  return html`<progress max="100" value="${view.progress.percent}" aria-label="Progress of ${job.listName}">${view.progress.percent}%</progress> ${view.progress.percent}%, ${view.progress.rowsProcessed.toLocaleString('en-US')} rows`;
}

export function dashboardPage(mailer: MailerIdentity, csrf: string, jobs: ListJob[], options: { autoRefresh: boolean }): string {
  const running = jobs.some(inProgress);
  return portalPage(
    'Your lists',
    html`<h1>Your lists</h1>
      <p><a class="usa-button" href="/mailer/upload">Upload a list</a></p>
      ${running ? refreshNotice('/mailer', options.autoRefresh) : ''}
      ${jobs.length === 0
        ? html`<p>No lists yet.</p>`
        : html`<div class="mp-table-wrap"><table class="usa-table">
            <caption>Your lists, newest first</caption>
            <thead><tr><th scope="col">List</th><th scope="col">Category</th><th scope="col">Uploaded</th><th scope="col">Status</th><th scope="col">Progress or result</th></tr></thead>
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
    running && options.autoRefresh ? REFRESH_SECONDS : undefined,
  );
}

export function listPage(mailer: MailerIdentity, csrf: string, job: ListJob, options: { autoRefresh: boolean }): string {
  const base = `/mailer/lists/${job.id}`;
  let body: SafeHtml;
  if (job.status === 'completed' && job.summary) {
    body = html`${reportBody(job.summary, job.filesDeletedAt ? {} : { cleansed: `${base}/cleansed`, discards: `${base}/discards`, summary: `${base}/summary` })}
      ${job.filesDeletedAt
        ? html`<p>The files of this list were deleted on ${job.filesDeletedAt.toISOString().slice(0, 10)}; the summary is kept.</p>`
        : html`<form method="post" action="${base}/delete"><input type="hidden" name="_csrf" value="${csrf}"><button class="usa-button usa-button--secondary" type="submit">Delete the files now</button></form>`}`;
  } else if (job.status === 'failed') {
    body = html`<h1>${job.listName}</h1>
      <div class="usa-alert usa-alert--error" role="alert"><div class="usa-alert__body"><h2 class="usa-alert__heading">The list could not be cleansed</h2><p class="usa-alert__text">${failureReason(job)}</p></div></div>
      <p>Nothing was kept from this file. Correct it and <a class="usa-link" href="/mailer/upload?category=${encodeURIComponent(job.categorySlug)}">upload it again</a>, or go <a class="usa-link" href="/mailer">back to your lists</a>.</p>`;
  } else {
    const view = listView(job);
    body = html`<h1>${job.listName}</h1>
      <p class="usa-intro">${job.status === 'queued' ? 'Waiting for a worker…' : 'Cleansing…'}</p>
      <p><label for="progress">Progress</label> <progress id="progress" max="100" value="${view.progress.percent}">${view.progress.percent}%</progress>
        ${view.progress.percent}% — ${view.progress.rowsProcessed.toLocaleString('en-US')} rows so far</p>
      ${refreshNotice(base, options.autoRefresh)}`;
  }
  return portalPage(job.listName, body, mailer, csrf, undefined, inProgress(job) && options.autoRefresh ? REFRESH_SECONDS : undefined);
}
