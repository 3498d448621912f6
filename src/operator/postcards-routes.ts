import { Router, type Request } from 'express';
import { html } from '../web/html';
import { consolePage, csrfField } from './console-layout';
import { errorSummary, type FieldError } from '../web/error-summary';
import { actorOf } from './operator-auth';
import type { OperatorJobsService } from '../schedules/operator-jobs-service';
import { idParam, uploadRoute, type FormTokenCheck } from './route-helpers';
import { jobRunsWithFiles, uploadForm } from './upload-form';

const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Postcard batches (issue-postcards): from an address file, or for the queued lost-card requests. */
export function postcardsRoutes(jobs: OperatorJobsService, checkToken: FormTokenCheck): Router {
  const router = Router();

  const render = async (req: Request, errors: FieldError[] = []) =>
    consolePage(
      req,
      'postcards',
      errors.length ? 'Error: Postcard batches' : 'Postcard batches',
      html`<h1>Postcard batches</h1>
        ${errorSummary('There is a problem', errors)}
        <p class="usa-intro">A batch gives every address a new personal code and produces a print file for the mail house (address, code, web address, expiry) and a reject report for addresses that cannot be read.</p>
        <h2>From an address file</h2>
        ${uploadForm(req, {
          action: '/operator/postcards',
          id: 'addresses-file',
          label: 'Address file',
          hint: html`A CSV file with a header row: <code>address1, address2, city, state, zip</code>.`,
          button: 'Upload and issue postcards',
          errors,
        })}
        <h2>For households that asked for a new card</h2>
        <form class="usa-form" method="post" action="/operator/postcards/requests">${csrfField(req)}
          <button class="usa-button usa-button--outline" type="submit">Issue postcards for the waiting requests</button>
        </form>
        <h2>Batches</h2>
        ${jobRunsWithFiles(await jobs.runsOf('issue-postcards'), {
          caption: 'Postcard batches, newest first',
          counts: [
            ['batchId', 'Batch'],
            ['rowsIn', 'Rows'],
            ['printed', 'Printed'],
            ['rejected', 'Rejected'],
          ],
        })}`,
    );

  router.get('/operator/postcards', async (req, res) => {
    res.send(await render(req));
  });

  router.post(
    '/operator/postcards',
    uploadRoute({
      maxBytes: MAX_UPLOAD_BYTES,
      field: 'addresses-file',
      checkToken,
      accept: (req, file) => jobs.uploadAndQueue('issue-postcards', file.stream, file.filename, actorOf(req)),
      done: '/operator/postcards?notice=import-queued',
      render,
    }),
  );

  router.post('/operator/postcards/requests', async (req, res) => {
    await jobs.queue('issue-postcards', {}, actorOf(req));
    res.redirect(303, '/operator/postcards?notice=run-queued');
  });

  router.get('/operator/runs/:id/files/:field', async (req, res) => {
    const file = await jobs.runFile(idParam(req, 'a job run', 'bigint'), String(req.params.field));
    res.attachment(file.name).type('text/csv');
    file.stream.on('error', (error) => res.destroy(error)).pipe(res);
  });

  return router;
}
