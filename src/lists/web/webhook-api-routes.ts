import express, { Router } from 'express';
import { mailerOf, requireApiKey } from '../../mailers/api-key-auth';
import type { MailersService } from '../../mailers/mailers-service';
import type { WebhookSettingsService, WebhookView } from '../../mailers/webhook-settings-service';
import { NotFoundError } from '../../lib/errors';

export const API_WEBHOOK = '/api/v1/webhook';

const view = (webhook: WebhookView) => ({ url: webhook.url, createdAt: webhook.createdAt, updatedAt: webhook.updatedAt, secretRotatedAt: webhook.secretRotatedAt });

/**
 * The mailer's webhook in the API: read it, set its address (`PUT {"url": …}`; a new webhook's
 * signing secret is in that answer only), make a new secret, remove it.
 */
export function webhookApiRoutes(services: { mailers: MailersService; webhookSettings: WebhookSettingsService }): Router {
  const { webhookSettings } = services;
  const router = Router();
  router.use(API_WEBHOOK, requireApiKey(services.mailers), express.json({ limit: '10kb' }));

  router.get(API_WEBHOOK, async (req, res) => {
    const webhook = await webhookSettings.get(mailerOf(req).mailerId);
    if (!webhook) throw new NotFoundError('This mailer has no webhook; set one with PUT /api/v1/webhook {"url": "https://…"}', 'NO_WEBHOOK');
    res.json(view(webhook));
  });

  router.put(API_WEBHOOK, async (req, res) => {
    const { webhook, secret } = await webhookSettings.set(mailerOf(req).mailerId, (req.body as { url?: unknown } | undefined)?.url);
    res.set('Cache-Control', 'no-store').status(secret ? 201 : 200).json({ ...view(webhook), ...(secret ? { secret } : {}) });
  });

  router.post(`${API_WEBHOOK}/secret`, async (req, res) => {
    const secret = await webhookSettings.rotateSecret(mailerOf(req).mailerId);
    res.set('Cache-Control', 'no-store').json({ secret });
  });

  router.delete(API_WEBHOOK, async (req, res) => {
    await webhookSettings.remove(mailerOf(req).mailerId);
    res.status(204).end();
  });

  return router;
}
