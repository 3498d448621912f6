import type { Request } from 'express';
import { html, type SafeHtml } from '../web/html';
import type { JobRun } from '../schedules/job-runs-store';
import { runFileKeys } from '../schedules/job-files';
import { csrfField, formatTime } from './console-layout';
import type { FieldError } from '../web/error-summary';
import { fieldParts } from '../web/form-field';

/** The console's upload forms: their CSRF token is checked by the route (uploadRoute), read from the field ahead of the file. */
export const CONSOLE_UPLOAD_PATHS = ['/operator/imports/cards', '/operator/imports/moves', '/operator/postcards'];

/**
 * A file upload form. The CSRF token is its first field, so the route reads and checks it before
 * any byte of the file is stored; it is never in the URL (where a refused upload's page would
 * keep it in the address bar, the history and logs). A refused upload shows its problem at the field.
 */
export function uploadForm(req: Request, options: { action: string; id: string; label: string; hint: SafeHtml | string; button: string; errors?: FieldError[] }): SafeHtml {
  const field = fieldParts(options.id, options.label, options.errors ?? [], options.hint);
  return html`<form class="usa-form usa-form--large" method="post" enctype="multipart/form-data" action="${options.action}" novalidate>
    ${csrfField(req)}
    <div class="${field.group}">${field.label}
      <input class="usa-file-input" id="${options.id}" name="file" type="file" accept=".csv,text/csv" aria-labelledby="${options.id}-label"${field.aria}></div>
    <button class="usa-button" type="submit">${options.button}</button>
  </form>`;
}

const LABELS: Record<string, string> = { inputKey: 'Uploaded file', rejectsKey: 'Reject report', printFileKey: 'Print file' };

/** Runs of one job kind with chosen counts and links to the files each run names. */
export function jobRunsWithFiles(runs: JobRun[], options: { caption: string; counts: [string, string][] }): SafeHtml {
  if (runs.length === 0) return html`<p>None yet.</p>`;
  const value = (run: JobRun, field: string) => {
    const result = run.result as Record<string, unknown> | null;
    const found = result?.[field];
    return found === undefined || found === null ? '—' : typeof found === 'object' ? JSON.stringify(found) : String(found);
  };
  return html`<div class="mp-table-wrap" tabindex="0" role="region" aria-label="${options.caption}"><table class="usa-table usa-table--striped usa-table--compact mp-job-files">
    <caption>${options.caption}</caption>
    <thead><tr><th scope="col">Run</th><th scope="col">File</th><th scope="col">Started</th><th scope="col">Outcome</th>${options.counts.map(([, label]) => html`<th scope="col">${label}</th>`)}<th scope="col">Files</th></tr></thead>
    <tbody>${runs.map(
      (run) => html`<tr>
        <th scope="row">${run.id}</th>
        <td>${String((run.data as { fileName?: unknown }).fileName ?? '—')}</td>
        <td>${formatTime(run.startedAt)}</td>
        <td><span class="mp-outcome-${run.outcome}">${run.outcome}</span>${run.failureReason ? html`<br>${run.failureReason}` : ''}</td>
        ${options.counts.map(([field]) => html`<td>${value(run, field)}</td>`)}
        <td>${run.filesPurgedAt
          ? 'deleted after retention'
          : runFileKeys(run).map(
              ({ field }) => html`<a class="usa-link" href="/operator/runs/${run.id}/files/${field}">${LABELS[field] ?? field}<span class="usa-sr-only"> of run ${run.id}</span></a><br>`,
            )}</td>
      </tr>`,
    )}</tbody></table></div>`;
}
