import type { Request } from 'express';
import { html, type SafeHtml } from '../web/html';
import type { JobRun } from '../schedules/job-runs-store';
import { runFileKeys } from '../schedules/job-files';
import { formatTime } from './console-layout';

/** A file upload form; multipart bodies are not parsed before the CSRF check, so the token rides in the action's query string. */
export function uploadForm(req: Request, options: { action: string; id: string; label: string; hint: SafeHtml | string; button: string }): SafeHtml {
  return html`<form class="usa-form usa-form--large" method="post" enctype="multipart/form-data" action="${options.action}?_csrf=${encodeURIComponent(req.csrfToken!())}">
    <label class="usa-label" for="${options.id}">${options.label}</label>
    <span class="usa-hint" id="${options.id}-hint">${options.hint}</span>
    <input class="usa-file-input" id="${options.id}" name="file" type="file" accept=".csv,text/csv" aria-describedby="${options.id}-hint" required>
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
  return html`<div class="mp-table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)"><table class="usa-table usa-table--striped usa-table--compact mp-job-files">
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
