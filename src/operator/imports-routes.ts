import { Router, type Request } from 'express';
import { html } from '../web/html';
import { consolePage, formatTime } from './console-layout';
import { errorSummary, type FieldError } from '../web/error-summary';
import type { MoveImport, MovesService } from '../moves/moves-service';
import { actorOf } from './operator-auth';
import { idParam, uploadRoute, type FormTokenCheck } from './route-helpers';
import { jobRunsWithFiles, uploadForm } from './upload-form';
import type { OperatorJobsService } from '../schedules/operator-jobs-service';
import type { JobRun } from '../schedules/job-runs-store';

const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

function moveRow(item: MoveImport) {
  return html`<tr>
    <th scope="row">${item.id}</th><td>${item.originalName}</td><td>${formatTime(item.uploadedAt)}<br>${item.uploadedBy}</td>
    <td>${item.status}${item.error ? html`<br><span class="mp-outcome-failed">${item.error}</span>` : ''}</td>
    <td>${item.rowsIn ?? '—'}</td><td>${item.rowsApplied ?? '—'}</td><td>${item.rowsAlready ?? '—'}</td><td>${item.rowsRejected ?? '—'}</td>
    <td>${item.choicesEnded ?? '—'} / ${item.choicesCarried ?? '—'}</td>
    <td>${item.rejectKey && !item.filesPurgedAt
      ? html`<a class="usa-link" href="/operator/imports/moves/${item.id}/rejects.csv">Reject report<span class="usa-sr-only"> of move import ${item.id}</span></a>`
      : item.filesPurgedAt ? 'deleted after retention' : '—'}</td>
  </tr>`;
}

function page(req: Request, moves: MoveImport[], cards: JobRun[], errors: FieldError[] = []): string {
  return consolePage(
    req,
    'imports',
    errors.length ? 'Error: Imports' : 'Imports',
    html`<h1>Imports</h1>
      ${errorSummary('There is a problem', errors)}
      <h2>Returned postcards</h2>
      <p>The card scanner's CSV file: a <code>code</code> column and one column per category (its short name), each <code>ticked</code>, <code>unticked</code> or blank.
        Each readable card records the household's choices; unreadable rows go to the reject report. Importing the same file again changes nothing.</p>
      ${uploadForm(req, { action: '/operator/imports/cards', id: 'cards-file', label: 'Returned-card file', hint: 'A CSV file with a header row, UTF-8.', button: 'Upload and import cards', errors })}
      ${jobRunsWithFiles(cards, {
        caption: 'Returned-card imports, newest first',
        counts: [
          ['rowsIn', 'Rows'],
          ['applied', 'Applied'],
          ['rejected', 'Rejected'],
          ['alreadyImported', 'Already imported'],
        ],
      })}
      <h2>Change-of-address files</h2>
      <p>One row per move: <code>old_address1, old_address2, old_city, old_state, old_zip, new_address1, new_address2, new_city, new_state, new_zip, move_date</code> (YYYY-MM-DD)<code>, move_type</code> (individual or family)<code>, choices_follow</code> (yes or no).
        A family move ends the household's choices at the old address; when the choices follow, they are recorded at the new address. Importing the same file again changes nothing.</p>
      ${uploadForm(req, { action: '/operator/imports/moves', id: 'moves-file', label: 'Change-of-address file', hint: 'A CSV file with a header row, UTF-8.', button: 'Upload and apply moves', errors })}
      ${moves.length === 0
        ? html`<p>No change-of-address files imported yet.</p>`
        : html`<div class="mp-table-wrap" tabindex="0" role="region" aria-label="Change-of-address imports, newest first"><table class="usa-table usa-table--striped usa-table--compact mp-move-imports">
          <caption>Change-of-address imports, newest first</caption>
          <thead><tr><th scope="col">Import</th><th scope="col">File</th><th scope="col">Uploaded</th><th scope="col">Status</th><th scope="col">Rows</th><th scope="col">Applied</th><th scope="col">Already applied</th><th scope="col">Rejected</th><th scope="col">Choices ended / carried</th><th scope="col">Reject report</th></tr></thead>
          <tbody>${moves.map(moveRow)}</tbody></table></div>`}`,
  );
}

export function importsRoutes(moves: MovesService, jobs: OperatorJobsService, checkToken: FormTokenCheck): Router {
  const router = Router();
  const render = async (req: Request, errors?: FieldError[]) => page(req, await moves.list(), await jobs.runsOf('import-returned-cards'), errors);

  router.get('/operator/imports', async (req, res) => {
    res.send(await render(req));
  });

  router.post(
    '/operator/imports/cards',
    uploadRoute({
      maxBytes: MAX_UPLOAD_BYTES,
      field: 'cards-file',
      checkToken,
      accept: (req, file) => jobs.uploadAndQueue('import-returned-cards', file.stream, file.filename, actorOf(req)),
      done: '/operator/imports?notice=import-queued',
      render,
    }),
  );

  router.post(
    '/operator/imports/moves',
    uploadRoute({
      maxBytes: MAX_UPLOAD_BYTES,
      field: 'moves-file',
      checkToken,
      accept: (req, file) => moves.upload(file.stream, file.filename, actorOf(req)),
      done: '/operator/imports?notice=import-queued',
      render,
    }),
  );

  router.get('/operator/imports/moves/:id/rejects.csv', async (req, res) => {
    const report = await moves.rejectReport(idParam(req, 'change-of-address import'));
    res.attachment(report.name).type('text/csv');
    report.stream.on('error', (error) => res.destroy(error)).pipe(res);
  });

  return router;
}
