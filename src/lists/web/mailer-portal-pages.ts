import { html, type SafeHtml } from '../../web/html';
import { layout } from '../../web/layout';
import { errorSummary, type FieldError } from '../../web/error-summary';
import { fieldParts } from '../../web/form-field';
import type { MailerIdentity } from '../../mailers/mailers-service';
import { reportBody } from './list-report-page';
import type { ListJob } from '../lists-store';
import { listView } from './list-view';

const SERVICE = 'mailpref for bulk mailers';

export function portalPage(title: string, body: SafeHtml, mailer: MailerIdentity | undefined, csrf: string, current?: string, scripts?: string[]): string {
  return layout({
    title,
    body,
    serviceName: SERVICE,
    homeHref: '/mailer',
    scripts,
    nav: mailer
      ? [
          { href: '/mailer', label: 'Your lists', current: current === 'lists' },
          { href: '/mailer/upload', label: 'Upload a list', current: current === 'upload' },
          { href: '/mailer/webhook', label: 'Webhook', current: current === 'webhook' },
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

export function signInPage(csrf: string, errors: FieldError[] = []): string {
  const key = fieldParts('api_key', 'API key', errors, html`The key you were given (it starts with <code>mp_</code>). Your operator creates it with <code>mailpref mailers create</code>.`);
  return portalPage(
    errors.length ? 'Error: Sign in' : 'Sign in',
    html`${errorSummary('There is a problem', errors)}
      <h1>Cleanse a mailing list</h1>
      <p class="usa-intro">Upload a list for a category of advertising mail; every address whose household refused that category is removed, and you get the cleansed list, a discard report and a processing summary.</p>
      <form class="usa-form" method="post" action="/mailer/sign-in" novalidate>
        <input type="hidden" name="_csrf" value="${csrf}">
        <div class="${key.group}">${key.label}
          <input class="usa-input${key.error ? ' usa-input--error' : ''}" id="api_key" name="api_key" type="password" autocomplete="off" required${key.aria}></div>
        <button class="usa-button" type="submit">Sign in</button>
      </form>`,
    undefined,
    csrf,
  );
}

const inProgress = (job: ListJob) => job.status === 'queued' || job.status === 'running';

/** The script that follows lists in progress (list-progress.js); without it the Refresh link does. */
const PROGRESS_SCRIPT = 'list-progress.js';

function failureReason(job: ListJob): string {
  return job.error ?? 'The job failed without a reason; please tell your operator.';
}

/** A failure's first sentence, for a table cell on a phone; the list's page has it whole. */
function shortReason(job: ListJob): string {
  const reason = failureReason(job);
  const first = /^.*?[.;:](\s|$)/.exec(reason)?.[0].trim() ?? reason;
  return first.length > 90 ? `${first.slice(0, 88).trimEnd()}…` : first;
}

const progressUrl = (job: ListJob) => `/mailer/lists/${job.id}/progress`;

/**
 * Progress of a list being cleansed: a progress bar and a status line. The script updates them in
 * place (the status line is a polite live region, so a screen reader hears the changes of status,
 * not every percent); without JavaScript, the Refresh link shows the latest figures.
 */
function progressBlock(job: ListJob, label: string): SafeHtml {
  const view = listView(job);
  const status = job.status === 'queued' ? 'Waiting for a worker…' : 'Cleansing…';
  return html`<div class="mp-progress" data-progress-url="${progressUrl(job)}" data-list-href="/mailer/lists/${job.id}">
    <progress max="100" value="${view.progress.percent}" aria-label="${label}">${view.progress.percent}%</progress>
    <span data-progress-text>${view.progress.percent}%, ${view.progress.rowsProcessed.toLocaleString('en-US')} rows</span>
    <span class="mp-progress__status" role="status" data-progress-status>${status}</span>
  </div>`;
}

function refreshLink(path: string): SafeHtml {
  return html`<p class="mp-refresh"><span data-progress-note>The figures are as of when the page was loaded.</span> <a class="usa-link" href="${path}">Refresh</a></p>`;
}

function outcomeCell(job: ListJob): SafeHtml {
  if (job.status === 'completed') {
    const view = listView(job);
    return html`${view.counts!.kept.toLocaleString('en-US')} kept of ${view.counts!.rowsIn.toLocaleString('en-US')}`;
  }
  if (job.status === 'failed') return html`<span class="mp-outcome-failed">Failed:</span> ${shortReason(job)}`;
  if (job.status === 'draft') return html`<a class="usa-link" href="/mailer/lists/${job.id}">Check its columns and start<span class="usa-sr-only"> ${job.listName}</span></a>`;
  return progressBlock(job, `Progress of ${job.listName}`);
}

const STATUS_LABELS: Record<ListJob['status'], string> = { draft: 'not started', queued: 'queued', running: 'running', completed: 'completed', failed: 'failed' };

export function dashboardPage(mailer: MailerIdentity, csrf: string, jobs: ListJob[]): string {
  const running = jobs.some(inProgress);
  return portalPage(
    'Your lists',
    html`<h1>Your lists</h1>
      <p><a class="usa-button" href="/mailer/upload">Upload a list</a></p>
      ${running ? refreshLink('/mailer') : ''}
      ${jobs.length === 0
        ? html`<p>No lists yet.</p>`
        : html`<table class="usa-table usa-table--stacked mp-lists">
            <caption>Your lists, newest first</caption>
            <thead><tr><th scope="col">List</th><th scope="col">Category</th><th scope="col">Uploaded</th><th scope="col">Status</th><th scope="col">Progress or result</th></tr></thead>
            <tbody>
              ${jobs.map(
                (job) => html`<tr>
                  <th scope="row" data-label="List"><a class="usa-link" href="/mailer/lists/${job.id}">${job.listName}</a></th>
                  <td data-label="Category">${job.categoryName}</td>
                  <td data-label="Uploaded">${job.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</td>
                  <td data-label="Status">${STATUS_LABELS[job.status]}</td>
                  <td data-label="Progress or result">${outcomeCell(job)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}`,
    mailer,
    csrf,
    'lists',
    running ? [PROGRESS_SCRIPT] : undefined,
  );
}

/** A list's page; `after`: what follows its report or failure (its webhook attempts). */
export function listPage(mailer: MailerIdentity, csrf: string, job: ListJob, after: SafeHtml = html``): string {
  const base = `/mailer/lists/${job.id}`;
  let body: SafeHtml;
  if (job.status === 'completed' && job.summary) {
    body = html`${reportBody(job.summary, job.filesDeletedAt ? {} : { cleansed: `${base}/cleansed`, discards: `${base}/discards`, summary: `${base}/summary` })}
      ${job.filesDeletedAt
        ? html`<p>The files of this list were deleted on ${job.filesDeletedAt.toISOString().slice(0, 10)}; the summary is kept.</p>`
        : html`<form method="post" action="${base}/delete"><input type="hidden" name="_csrf" value="${csrf}"><button class="usa-button usa-button--secondary" type="submit">Delete the files now</button></form>`}`;
  } else if (job.status === 'failed') {
    body = html`<h1 class="mp-wrap">${job.listName}</h1>
      <div class="usa-alert usa-alert--error" role="alert"><div class="usa-alert__body"><h2 class="usa-alert__heading">The list could not be cleansed</h2><p class="usa-alert__text">${failureReason(job)}</p></div></div>
      <p>Nothing was kept from this file. Correct it and <a class="usa-link" href="/mailer/upload?category=${encodeURIComponent(job.categorySlug)}">upload it again</a>, or go <a class="usa-link" href="/mailer">back to your lists</a>.</p>`;
  } else {
    body = html`<h1 class="mp-wrap">${job.listName}</h1>
      ${progressBlock(job, 'Progress')}
      ${refreshLink(base)}`;
  }
  return portalPage(job.listName, html`${body}${after}`, mailer, csrf, undefined, inProgress(job) ? [PROGRESS_SCRIPT] : undefined);
}
