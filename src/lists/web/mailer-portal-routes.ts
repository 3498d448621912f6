import express, { Router } from 'express';
import type { CategoriesService } from '../../categories/categories-service';
import { AppError } from '../../lib/errors';
import { mailerOf } from '../../mailers/api-key-auth';
import { mailerPortalAuth, UPLOAD_PATH } from '../../mailers/mailer-portal-auth';
import type { MailersService } from '../../mailers/mailers-service';
import { listOptionsFrom, receiveListUpload } from './list-upload';
import { LIST_TEMPLATE_CSV } from './list-template';
import { listView } from './list-view';
import { sendOutput } from './lists-routes';
import { notReady, type ListsService } from '../lists-service';
import { previewPage } from './mailer-list-preview-page';
import { dashboardPage, listPage, signInPage } from './mailer-portal-pages';
import { uploadErrors, uploadPage } from './mailer-upload-page';
import { deliveriesSection, webhookPage } from './mailer-webhook-page';
import { problemsOf } from '../../web/error-summary';
import type { WebhookSettingsService } from '../../mailers/webhook-settings-service';
import type { ListWebhooks } from '../webhooks/list-webhooks';

/** The mailer portal at /mailer: sign in with the API key, upload, check the columns, follow, read the report, download. */
export function mailerPortalRoutes(
  services: { mailers: MailersService; lists: ListsService; categories: CategoriesService; webhookSettings: WebhookSettingsService; listWebhooks: Pick<ListWebhooks, 'deliveries'> },
  options: { secure: boolean; csrfKey: Buffer },
): Router {
  const { mailers, lists, categories, webhookSettings } = services;
  const auth = mailerPortalAuth({ mailers, secure: options.secure, csrfKey: options.csrfKey });
  const router = Router();
  router.use('/mailer', express.urlencoded({ extended: false, limit: '20kb' }), ...auth.session);

  router.get('/mailer', async (req, res) => {
    const csrf = req.csrfToken!();
    if (!req.mailerSession) {
      res.send(signInPage(csrf));
      return;
    }
    const mailer = mailerOf(req);
    res.send(dashboardPage(mailer, csrf, await lists.list(mailer)));
  });

  router.get('/mailer/template.csv', (_req, res) => {
    res.type('text/csv; charset=utf-8').attachment('mailing-list-template.csv').send(LIST_TEMPLATE_CSV);
  });

  router.get('/mailer/upload', auth.requireMailer, async (req, res) => {
    const category = typeof req.query.category === 'string' ? req.query.category : '';
    res.send(uploadPage(mailerOf(req), req.csrfToken!(), await categories.listActive(), lists.maxUploadBytes, { values: { category }, errors: [] }));
  });

  router.post('/mailer/sign-in', async (req, res) => {
    const apiKey = String((req.body as Record<string, string>).api_key ?? '').trim();
    if (!apiKey) return void res.status(400).send(signInPage(req.csrfToken!(), [{ field: 'api_key', message: 'Enter your API key' }]));
    try {
      const { token } = await mailers.signIn(apiKey);
      auth.setSessionCookie(res, token);
      res.redirect(303, '/mailer');
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode !== 401) throw error;
      res.status(401).send(signInPage(req.csrfToken!(), [{ field: 'api_key', message: `${error.message}. Check the key and try again.` }]));
    }
  });

  router.post('/mailer/sign-out', async (req, res) => {
    await mailers.signOut(auth.sessionToken(req));
    auth.clearSessionCookie(res);
    res.redirect(303, '/mailer');
  });

  // The upload becomes a draft whose columns the mailer checks before it starts. A refused upload
  // shows the form again, as filled in, with every problem at its field and the first problem's
  // status (400, 404 unknown category, 413 too large). The CSRF token is the form's first field,
  // checked before the file is stored (and before any refusal is shown).
  router.post(UPLOAD_PATH, auth.requireMailer, async (req, res) => {
    const fields: Record<string, string> = {};
    let problems: AppError[];
    try {
      const received = await receiveListUpload(req, lists, fields, () => auth.checkFormToken(req, fields._csrf));
      const prepared = await lists.prepare(mailerOf(req), received.listId, received.listName, received.options, received.upload);
      if (prepared.job) {
        res.redirect(303, `/mailer/lists/${prepared.job.id}`);
        return;
      }
      problems = prepared.problems;
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      auth.checkFormToken(req, fields._csrf);
      problems = [error, ...(await lists.checkOptions(listOptionsFrom(fields), { bytes: 1 })).problems];
    }
    const page = uploadPage(mailerOf(req), req.csrfToken!(), await categories.listActive(), lists.maxUploadBytes, { values: fields, errors: uploadErrors(problems) });
    res.status(problems[0]!.statusCode).send(page);
  });

  router.get('/mailer/lists', (_req, res) => {
    res.redirect(303, '/mailer');
  });

  router.get('/mailer/lists/:id', auth.requireMailer, async (req, res) => {
    const job = await lists.get(mailerOf(req), String(req.params.id));
    if (job.status === 'draft') {
      res.send(previewPage(mailerOf(req), req.csrfToken!(), job, await lists.columnPreview(job)));
      return;
    }
    res.send(listPage(mailerOf(req), req.csrfToken!(), job, deliveriesSection(await services.listWebhooks.deliveries(job.id))));
  });

  // The webhook: a new secret is shown in the answer that made it, never through a redirect.
  router.get('/mailer/webhook', auth.requireMailer, async (req, res) => {
    res.send(webhookPage(mailerOf(req), req.csrfToken!(), { webhook: await webhookSettings.get(mailerOf(req).mailerId) }));
  });

  router.post('/mailer/webhook', auth.requireMailer, async (req, res) => {
    const mailer = mailerOf(req);
    const url = String((req.body as Record<string, unknown>).url ?? '');
    try {
      const { webhook, secret } = await webhookSettings.set(mailer.mailerId, url);
      if (!secret) return void res.redirect(303, '/mailer/webhook');
      res.status(201).set('Cache-Control', 'no-store').send(webhookPage(mailer, req.csrfToken!(), { webhook, secret }));
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      const webhook = await webhookSettings.get(mailer.mailerId);
      res.status(error.statusCode).send(webhookPage(mailer, req.csrfToken!(), { webhook, url, errors: problemsOf(error, 'url') }));
    }
  });

  router.post('/mailer/webhook/secret', auth.requireMailer, async (req, res) => {
    const mailer = mailerOf(req);
    const secret = await webhookSettings.rotateSecret(mailer.mailerId);
    res.set('Cache-Control', 'no-store').send(webhookPage(mailer, req.csrfToken!(), { webhook: await webhookSettings.get(mailer.mailerId), secret }));
  });

  router.post('/mailer/webhook/delete', auth.requireMailer, async (req, res) => {
    await webhookSettings.remove(mailerOf(req).mailerId);
    res.redirect(303, '/mailer/webhook');
  });

  // What the progress script polls (list-progress.js).
  router.get('/mailer/lists/:id/progress', auth.requireMailer, async (req, res) => {
    res.json(listView(await lists.get(mailerOf(req), String(req.params.id))));
  });

  router.post('/mailer/lists/:id/start', auth.requireMailer, async (req, res) => {
    const job = await lists.start(mailerOf(req), String(req.params.id));
    res.redirect(303, `/mailer/lists/${job.id}`);
  });

  router.get('/mailer/lists/:id/summary', auth.requireMailer, async (req, res) => {
    const job = await lists.get(mailerOf(req), String(req.params.id));
    if (!job.summary) throw notReady(job, 'summary');
    res.attachment(`${job.listName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'list'}.summary.json`).json(job.summary);
  });

  for (const kind of ['cleansed', 'discards'] as const) {
    router.get(`/mailer/lists/:id/${kind}`, auth.requireMailer, async (req, res) => {
      await sendOutput(res, lists, mailerOf(req), String(req.params.id), kind);
    });
  }

  // Deletes a list's files, or cancels a draft (which leaves nothing behind).
  router.post('/mailer/lists/:id/delete', auth.requireMailer, async (req, res) => {
    const job = await lists.deleteFiles(mailerOf(req), String(req.params.id));
    res.redirect(303, job.status === 'draft' ? '/mailer/upload' : `/mailer/lists/${job.id}`);
  });

  return router;
}
