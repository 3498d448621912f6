import express, { Router, type Request } from 'express';
import type { CategoriesService } from '../categories/categories-service';
import { AppError } from '../lib/errors';
import { mailerOf } from '../mailers/api-key-auth';
import { mailerPortalAuth } from '../mailers/mailer-portal-auth';
import type { MailersService } from '../mailers/mailers-service';
import { receiveListUpload } from './list-upload';
import { sendOutput } from './lists-routes';
import { notReady, type ListsService } from './lists-service';
import { dashboardPage, listPage, signInPage } from './mailer-portal-pages';
import { uploadErrors, uploadPage } from './mailer-upload-page';

/** `?refresh=off` stops a page in progress from reloading itself. */
const autoRefresh = (req: Request) => req.query.refresh !== 'off';

/** The mailer portal at /mailer: sign in with the API key, upload, follow, read the report, download. */
export function mailerPortalRoutes(
  services: { mailers: MailersService; lists: ListsService; categories: CategoriesService },
  options: { secure: boolean; csrfKey: Buffer },
): Router {
  const { mailers, lists, categories } = services;
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
    res.send(dashboardPage(mailer, csrf, await lists.list(mailer), { autoRefresh: autoRefresh(req) }));
  });

  router.get('/mailer/upload', auth.requireMailer, async (req, res) => {
    const category = typeof req.query.category === 'string' ? req.query.category : '';
    res.send(uploadPage(mailerOf(req), req.csrfToken!(), await categories.listActive(), lists.maxUploadBytes, { values: { category }, errors: [] }));
  });

  router.post('/mailer/sign-in', async (req, res) => {
    try {
      const { token } = await mailers.signIn(String((req.body as Record<string, string>).api_key ?? ''));
      auth.setSessionCookie(res, token);
      res.redirect(303, '/mailer');
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode !== 401) throw error;
      res.status(401).send(signInPage(req.csrfToken!(), `${error.message}. Check the key and try again.`));
    }
  });

  router.post('/mailer/sign-out', async (req, res) => {
    await mailers.signOut(auth.sessionToken(req));
    auth.clearSessionCookie(res);
    res.redirect(303, '/mailer');
  });

  // A refused upload shows the form again, as filled in, with the problem at its field and the
  // error's own status (400, 404 unknown category, 413 too large).
  router.post('/mailer/lists', auth.requireMailer, async (req, res) => {
    const fields: Record<string, string> = {};
    try {
      const received = await receiveListUpload(req, lists, fields);
      const job = await lists.submit(mailerOf(req), received.listId, received.listName, received.options, received.upload);
      res.redirect(303, `/mailer/lists/${job.id}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      const page = uploadPage(mailerOf(req), req.csrfToken!(), await categories.listActive(), lists.maxUploadBytes, { values: fields, errors: uploadErrors(error) });
      res.status(error.statusCode).send(page);
    }
  });

  router.get('/mailer/lists', (_req, res) => {
    res.redirect(303, '/mailer');
  });

  router.get('/mailer/lists/:id', auth.requireMailer, async (req, res) => {
    res.send(listPage(mailerOf(req), req.csrfToken!(), await lists.get(mailerOf(req), String(req.params.id)), { autoRefresh: autoRefresh(req) }));
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

  router.post('/mailer/lists/:id/delete', auth.requireMailer, async (req, res) => {
    await lists.deleteFiles(mailerOf(req), String(req.params.id));
    res.redirect(303, `/mailer/lists/${req.params.id}`);
  });

  return router;
}
