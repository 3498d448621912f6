import type { Request } from 'express';
import { html, type SafeHtml } from '../web/html';
import { consolePage, csrfField, formatDuration, formatTime } from '../operator/console-layout';
import { errorSummary, type FieldError } from '../web/error-summary';
import { fieldParts } from '../web/form-field';
import type { JobRun, ScheduleView } from './schedules-service';

export interface ScheduleFormValues {
  name: string;
  kind: string;
  pattern: string;
  tz: string;
  data: string;
}

function outcomeCell(run: JobRun | undefined): SafeHtml {
  if (!run) return html`never run`;
  const label = run.outcome === 'failed' && run.willRetry ? 'failed (will retry)' : run.outcome;
  return html`<span class="mp-outcome-${run.outcome}">${label}</span>`;
}

function countsText(result: unknown): string {
  if (result === null || result === undefined) return '';
  const flat: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key);
    } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
      flat.push(`${prefix}: ${value}`);
    } else if (Array.isArray(value)) {
      flat.push(`${prefix}: ${value.length} item${value.length === 1 ? '' : 's'}`);
    }
  };
  walk(result, '');
  return flat.slice(0, 12).join('; ');
}

export function runsTable(req: Request, runs: JobRun[], caption: string): SafeHtml {
  if (runs.length === 0) return html`<p>No runs yet.</p>`;
  return html`<div class="mp-table-wrap" tabindex="0" role="region" aria-label="${caption}"><table class="usa-table usa-table--striped usa-table--compact mp-runs">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Run</th><th scope="col">Kind</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Outcome</th><th scope="col">Counts</th><th scope="col">Failure reason</th><th scope="col"><span class="usa-sr-only">Actions</span></th></tr></thead>
    <tbody>${runs.map(
      (run) => html`<tr>
        <th scope="row">${run.id}<br>${run.jobName} · attempt ${run.attempt}</th>
        <td>${run.kind}</td>
        <td>${formatTime(run.startedAt)}</td>
        <td>${formatDuration(run.durationMs)}</td>
        <td>${outcomeCell(run)}</td>
        <td>${countsText(run.result)}</td>
        <td>${run.failureReason ?? ''}</td>
        <td>${run.outcome === 'failed' && !run.willRetry
          ? html`<form class="mp-inline-form" method="post" action="/operator/runs/${run.id}/retry">${csrfField(req)}<button class="usa-button usa-button--outline" type="submit">Retry<span class="usa-sr-only"> run ${run.id}</span></button></form>`
          : ''}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

export function schedulesListPage(req: Request, schedules: ScheduleView[]): string {
  return consolePage(
    req,
    'schedules',
    'Schedules',
    html`<h1>Schedules</h1>
      <p class="usa-intro">Batch jobs that run on a cron pattern. Paused schedules keep their definition and do not run until resumed.</p>
      <p><a class="usa-button" href="/operator/schedules/new">New schedule</a></p>
      ${schedules.length === 0
        ? html`<p>No schedules yet.</p>`
        : html`<div class="mp-table-wrap" tabindex="0" role="region" aria-label="All schedules"><table class="usa-table usa-table--striped">
          <caption>All schedules</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Job kind</th><th scope="col">Pattern</th><th scope="col">Time zone</th><th scope="col">State</th><th scope="col">Next run</th><th scope="col">Last run</th></tr></thead>
          <tbody>${schedules.map(
            (schedule) => html`<tr>
              <th scope="row"><a class="usa-link" href="/operator/schedules/${schedule.id}">${schedule.name}</a></th>
              <td>${schedule.kind}</td><td><code>${schedule.pattern}</code></td><td>${schedule.tz}</td>
              <td>${schedule.paused ? html`<span class="usa-tag bg-gold text-ink">paused</span>` : 'active'}</td>
              <td>${schedule.paused ? '—' : formatTime(schedule.nextRunAt, schedule.tz)}</td>
              <td>${schedule.lastRun ? html`${outcomeCell(schedule.lastRun)} ${formatTime(schedule.lastRun.startedAt)}` : 'never run'}</td>
            </tr>`,
          )}</tbody></table></div>`}`,
  );
}

/** The create/edit form; "Preview" shows the next five run times without saving. Every problem shows at once, in the summary and at its field. */
export function scheduleFormPage(
  req: Request,
  options: { kinds: readonly string[]; describe: (kind: string) => string; values: ScheduleFormValues; action: string; title: string; errors?: FieldError[]; preview?: Date[] },
): string {
  const { values, preview } = options;
  const errors = options.errors ?? [];
  const name = fieldParts('name', 'Name', errors, 'Lowercase letters, digits and hyphens, e.g. nightly-purge.');
  const kind = fieldParts('kind', 'Job kind', errors);
  const pattern = fieldParts('pattern', 'Cron pattern', errors, html`minute hour day-of-month month day-of-week, e.g. <code>0 2 * * *</code> for 02:00 every day; a sixth field first adds seconds.`);
  const tz = fieldParts('tz', 'Time zone', errors, 'An IANA name such as UTC, America/New_York or America/Los_Angeles.');
  const data = fieldParts('data', 'Job data (JSON, optional)', errors);
  return consolePage(
    req,
    'schedules',
    errors.length ? `Error: ${options.title}` : options.title,
    html`<h1>${options.title}</h1>
      ${errorSummary(errors.length === 1 ? 'There is a problem' : `There are ${errors.length} problems`, errors)}
      <form class="usa-form usa-form--large" method="post" action="${options.action}" novalidate>
        ${csrfField(req)}
        <div class="${name.group}">${name.label}
          <input class="usa-input${name.error ? ' usa-input--error' : ''}" id="name" name="name" value="${values.name}"${name.aria}></div>
        <div class="${kind.group}">${kind.label}
          <select class="usa-select${kind.error ? ' usa-input--error' : ''}" id="kind" name="kind"${kind.aria}>
            ${options.kinds.map((k) => html`<option value="${k}"${k === values.kind ? ' selected' : ''}>${k} — ${options.describe(k)}</option>`)}
          </select></div>
        <div class="${pattern.group}">${pattern.label}
          <input class="usa-input${pattern.error ? ' usa-input--error' : ''}" id="pattern" name="pattern" value="${values.pattern}"${pattern.aria}></div>
        <div class="${tz.group}">${tz.label}
          <input class="usa-input${tz.error ? ' usa-input--error' : ''}" id="tz" name="tz" value="${values.tz}"${tz.aria}></div>
        <div class="${data.group}">${data.label}
          <textarea class="usa-textarea${data.error ? ' usa-input--error' : ''}" id="data" name="data" rows="3"${data.aria}>${values.data}</textarea></div>
        ${preview
          ? html`<div class="usa-summary-box margin-top-3" role="region" aria-labelledby="preview-heading"><div class="usa-summary-box__body">
              <h2 class="usa-summary-box__heading" id="preview-heading">Next five runs</h2>
              <ol class="mp-preview">${preview.map((time) => html`<li>${formatTime(time, values.tz)} (${formatTime(time)})</li>`)}</ol>
            </div></div>`
          : ''}
        <div class="margin-top-3">
          <button class="usa-button usa-button--outline" type="submit" name="intent" value="preview">Preview next runs</button>
          <button class="usa-button" type="submit" name="intent" value="save">Save schedule</button>
        </div>
      </form>`,
  );
}

export function scheduleDetailPage(req: Request, schedule: ScheduleView, runs: JobRun[], describe: (kind: string) => string): string {
  const button = (action: string, label: string, style = 'usa-button--outline') =>
    html`<form class="mp-inline-form" method="post" action="/operator/schedules/${schedule.id}/${action}">${csrfField(req)}<button class="usa-button ${style}" type="submit">${label}</button></form>`;
  return consolePage(
    req,
    'schedules',
    `Schedule ${schedule.name}`,
    html`<h1>Schedule ${schedule.name}</h1>
      <dl class="mp-definition">
        <dt>Job kind</dt><dd>${schedule.kind} — ${describe(schedule.kind)}</dd>
        <dt>Pattern</dt><dd><code>${schedule.pattern}</code> in ${schedule.tz}</dd>
        <dt>State</dt><dd>${schedule.paused ? 'paused' : 'active'}</dd>
        <dt>Next run</dt><dd>${schedule.paused ? 'none while paused' : formatTime(schedule.nextRunAt, schedule.tz)}</dd>
        <dt>Job data</dt><dd><code>${JSON.stringify(schedule.data)}</code></dd>
      </dl>
      <div class="margin-y-2">
        ${button('run', 'Run now', '')}
        ${schedule.paused ? button('resume', 'Resume') : button('pause', 'Pause')}
        <a class="usa-button usa-button--outline mp-inline-form" href="/operator/schedules/${schedule.id}/edit">Edit</a>
        <a class="usa-button usa-button--secondary mp-inline-form" href="/operator/schedules/${schedule.id}/delete">Delete</a>
      </div>
      <h2>Runs</h2>
      ${runsTable(req, runs, `Latest runs of ${schedule.name}`)}`,
  );
}

/** Deleting cannot be undone, so it is confirmed on a page of its own (no JavaScript dialog). */
export function scheduleDeletePage(req: Request, schedule: ScheduleView): string {
  return consolePage(
    req,
    'schedules',
    `Delete schedule ${schedule.name}`,
    html`<h1>Delete schedule ${schedule.name}?</h1>
      <p class="usa-intro">It will not run again. Its past runs stay in the job history. To stop it for a while instead, pause it.</p>
      <form class="mp-inline-form" method="post" action="/operator/schedules/${schedule.id}/delete">${csrfField(req)}
        <button class="usa-button usa-button--secondary" type="submit">Delete ${schedule.name}</button></form>
      <a class="usa-button usa-button--outline mp-inline-form" href="/operator/schedules/${schedule.id}">Keep it</a>`,
  );
}
