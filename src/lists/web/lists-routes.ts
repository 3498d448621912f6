import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { layout } from '../../web/layout';
import { mailerOf, requireApiKey } from '../../mailers/api-key-auth';
import type { MailersService } from '../../mailers/mailers-service';
import { receiveListUpload } from './list-upload';
import { reportBody } from './list-report-page';
import { API_LISTS, listLinks, listView, outputFileName } from './list-view';
import { notReady, type ListsService } from '../lists-service';
import { listsOpenApi } from './lists-openapi';
import type { ListWebhooks } from '../webhooks/list-webhooks';

const BASE = API_LISTS;

/** Streams a finished output; the cleansed file is the input's own bytes, so no charset is claimed. */
export async function sendOutput(res: Response, lists: ListsService, mailer: Parameters<ListsService['get']>[0], id: string, kind: 'cleansed' | 'discards'): Promise<void> {
  const { job, stream, bytes } = await lists.openOutput(mailer, id, kind);
  res.setHeader('Content-Type', kind === 'discards' ? 'text/csv; charset=utf-8' : 'text/csv');
  res.setHeader('Content-Length', String(bytes));
  res.attachment(outputFileName(job, kind));
  // pipeline closes the file when the client goes away half-way.
  await pipeline(stream, res).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  });
}

/** The bulk mailer API: upload a list, follow its job, fetch its outputs. */
export function listsRoutes(services: { lists: ListsService; mailers: MailersService; listWebhooks: Pick<ListWebhooks, 'deliveries'> }): Router {
  const { lists } = services;
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(listsOpenApi());
  });
  router.use(BASE, requireApiKey(services.mailers));

  router.post(BASE, async (req, res) => {
    const received = await receiveListUpload(req, lists);
    const job = await lists.submit(mailerOf(req), received.listId, received.listName, received.options, received.upload, req.get('idempotency-key'));
    if (job.id !== received.listId) res.setHeader('Idempotent-Replayed', 'true');
    res.status(202).location(listLinks(job).self).json({ id: job.id, status: job.status, inputBytes: job.inputBytes, inputSha256: job.inputSha256, links: listLinks(job) });
  });

  router.get(BASE, async (req, res) => {
    const jobs = await lists.list(mailerOf(req));
    res.json({ lists: jobs.map((job) => listView(job)) });
  });

  router.get(`${BASE}/:id`, async (req, res) => {
    const job = await lists.get(mailerOf(req), req.params.id!);
    // Only the one list's resource carries its webhook attempts (the collection would need a query per list).
    res.json({ ...listView(job), webhookDeliveries: await services.listWebhooks.deliveries(job.id) });
  });

  router.get(`${BASE}/:id/cleansed`, async (req, res) => {
    await sendOutput(res, lists, mailerOf(req), req.params.id!, 'cleansed');
  });

  router.get(`${BASE}/:id/discards`, async (req, res) => {
    await sendOutput(res, lists, mailerOf(req), req.params.id!, 'discards');
  });

  router.get(`${BASE}/:id/summary`, async (req, res) => {
    const job = await lists.get(mailerOf(req), req.params.id!);
    if (!job.summary) throw notReady(job, 'summary');
    res.json(job.summary);
  });

  router.get(`${BASE}/:id/report`, async (req, res) => {
    const job = await lists.get(mailerOf(req), req.params.id!);
    if (!job.summary) throw notReady(job, 'report');
    const links = job.filesDeletedAt ? {} : listLinks(job);
    res.type('html').send(layout({ title: `Processing summary: ${job.listName}`, body: reportBody(job.summary, links) }));
  });

  router.delete(`${BASE}/:id`, async (req, res) => {
    res.json(listView(await lists.deleteFiles(mailerOf(req), req.params.id!)));
  });

  return router;
}
