import type { Logger } from '../../lib/logger';
import type { QueueFactory } from '../../lib/queues';
import type { WebhookSettingsService } from '../../mailers/webhook-settings-service';
import type { ListsStore } from '../lists-store';
import { API_LISTS, listView } from '../web/list-view';
import type { WebhookDeliveriesStore, WebhookDelivery } from './webhook-deliveries-store';
import { postJson } from './webhook-sender';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

export type ListEvent = 'list.completed' | 'list.failed';

/** The queue (and job kind) of webhook deliveries; one job per list and event. */
export const LIST_WEBHOOK_QUEUE = 'list-webhook';

export interface WebhookConfig {
  /** Deliver to loopback and private addresses too (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** Attempts per event before giving up (WEBHOOK_ATTEMPTS). */
  attempts: number;
  /** The first retry's delay; each next one waits twice as long (WEBHOOK_RETRY_DELAY_MS). */
  retryDelayMs: number;
  /** How long an attempt waits for an answer (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Why an attempt did not deliver: the receiver's answer was not a 2xx. */
export class UndeliveredError extends Error {}

/**
 * A list's webhook: when a list completes or fails, one job (LIST_WEBHOOK_QUEUE) posts the event
 * to its mailer's webhook, signed (webhook-signature.ts); BullMQ retries it with exponential
 * backoff until the receiver answers 2xx. Every attempt is recorded (list_webhook_deliveries) and
 * shown with the list in the API and the portal.
 */
export class ListWebhooks {
  constructor(
    private readonly lists: Pick<ListsStore, 'find'>,
    private readonly deliveriesStore: WebhookDeliveriesStore,
    private readonly settings: Pick<WebhookSettingsService, 'target'>,
    private readonly queues: QueueFactory,
    private readonly config: WebhookConfig & { publicUrl: string },
    private readonly logger: Logger,
  ) {}

  /**
   * Queues the event's delivery when the list's mailer has a webhook. Never throws: the list's
   * own outcome is recorded already, and a queue that cannot be reached is logged.
   */
  async notify(listId: string, event: ListEvent): Promise<void> {
    try {
      const job = await this.lists.find(listId);
      if (!job || !(await this.settings.target(job.mailerId))) return;
      // One job per list and event: a list failed twice over (two chunks) is announced once.
      await this.queues.queue(LIST_WEBHOOK_QUEUE).add(
        'deliver',
        { listId, event },
        { jobId: `${listId}-${event.replace('.', '-')}`, attempts: this.config.attempts, backoff: { type: 'exponential', delay: this.config.retryDelayMs } },
      );
    } catch (error) {
      this.logger.error({ err: error, listId, event }, 'could not queue the webhook of a list');
    }
  }

  /**
   * One attempt: posts the event and records it. Resolves when the receiver answered 2xx (or the
   * mailer has no webhook any more); rejects otherwise (RefusedAddressError: not to be retried).
   */
  async deliver(listId: string, event: ListEvent, attempt: number): Promise<{ statusCode: number } | { skipped: string }> {
    const job = await this.lists.find(listId);
    if (!job) return { skipped: 'the list no longer exists' };
    const target = await this.settings.target(job.mailerId);
    if (!target) return { skipped: 'the mailer has no webhook now' };
    const body = JSON.stringify({
      id: `${listId}.${event}`,
      type: event,
      createdAt: (job.finishedAt ?? new Date()).toISOString(),
      data: { list: listView(job, `${this.config.publicUrl}${API_LISTS}`) },
    });
    const attemptedAt = new Date();
    const started = performance.now();
    const record = (outcome: { statusCode: number | null; error: string | null }) =>
      this.deliveriesStore.insert(listId, {
        event,
        attempt,
        url: target.url,
        attemptedAt,
        durationMs: Math.round(performance.now() - started),
        delivered: outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300,
        ...outcome,
      });
    let statusCode: number;
    try {
      statusCode = await postJson(target.url, body, { [SIGNATURE_HEADER]: signatureHeader(target.secret, body, Math.floor(Date.now() / 1000)) }, this.config);
    } catch (error) {
      await record({ statusCode: null, error: (error as Error).message });
      throw error;
    }
    await record({ statusCode, error: null });
    if (statusCode < 200 || statusCode >= 300) throw new UndeliveredError(`the webhook answered ${statusCode}`);
    return { statusCode };
  }

  deliveries(listId: string): Promise<WebhookDelivery[]> {
    return this.deliveriesStore.forList(listId);
  }
}
